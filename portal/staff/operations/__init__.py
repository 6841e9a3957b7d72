"""The work behind the staff forms, one module per area, tested without HTTP.

Like Indico's `operations.py`: a view loads (`sharing.get_case_or_404` through
`staff.common.load_case`), checks the form, calls one operation and renders or
redirects; the operation changes the rows, writes the audit record
(`portal.audit.Action`) and flushes; the view commits once at the end of the
request. Operations never commit and never read the request.

An operation on an edited row takes the revision the form echoed and saves
through `portal.concurrency.saving`, so a stale save raises
`portal.concurrency.Stale` with nothing applied (the view answers 409 with the
input kept). Refusals with a reason (a consent from the wrong person, a file
reference in use) raise the module's own exception, whose message the view shows.

- `cases`: open a case, change its phase, assign and hand over
- `members`: family members and their invitation letters
- `plan`: draft items (create, edit, order, remove, duplicate) and publishing
- `consent`: § 65 SGB VIII, consent to share what someone entrusted
- `appointments`, `contacts`: live objects the family sees at once
- `inbox`: replies, alerts and what the family answered, marked handled
- `translations`: translations of content, per object and as interpreter files
- `accounts`: staff accounts (administrators)
- `checkins`: who is asked "How are things at home?" and how often; warnings marked as seen
"""
