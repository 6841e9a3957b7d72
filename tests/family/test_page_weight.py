"""Every family page stays within 25 KB (gzipped HTML + CSS + JS) on first load."""
from tests.family.page_weight import BUDGET, page_weights


def test_every_family_page_is_within_the_first_load_budget(app):
    rows = page_weights(app)
    assert len(rows) == 21
    over = [(user, url, first) for user, url, first, _repeat in rows if first > BUDGET]
    assert over == []
