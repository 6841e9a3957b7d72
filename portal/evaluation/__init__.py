"""The programme's evaluation (DESIGN.md § 5c, issue 13).

- `facts`: the facts per child and case that the figures count (care records, phase
  and caseworker changes), written by the same domain functions the staff pages use;
- `periods`: the period chosen on the page, and the one before it;
- `figures`: every figure as an SQL aggregate over those facts and the portal's own
  events (versions, answers, questions), for a set of teams and a period;
- `suppression`: counts from 1 to 4 shown as "fewer than 5", and what would reveal them;
- `charts`: SVG charts drawn on the server (matplotlib, Agg);
- `exports`: the same figures as CSV and XLSX;
- `history`: the demo office's fictional history (the large office for measuring is `portal.bench_data`).

Nothing here reads a name, a reference, a date of birth or free text; the figures
leave this package as numbers with their definitions.
"""
