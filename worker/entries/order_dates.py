"""An order's dates from its catalog case, as the rules take them (OrderDates), or None when unknown."""

from __future__ import annotations

from worker.rules.review_period import OrderDates
from worker.storage.models import Case


def order_dates_of(case: Case | None) -> OrderDates | None:
    """The case's OrderDates when the catalog knows when liquidation was suspended and the order was
    published; None otherwise (the assessment then says the order's dates were not checked).

    The end of provisional measures and the ITC's final determination are passed as the notices
    stated them, or None: the rules apply the cap and the gap only as far as the known dates reach.
    """
    if case is None or case.preliminary_published is None or case.order_date is None:
        return None
    if case.order_date < case.preliminary_published:
        return None  # a catalog row out of order (e.g. a wrong date read): check nothing rather than err
    return OrderDates(
        case_number=case.case_number,
        suspension_date=case.preliminary_published,
        order_published=case.order_date,
        provisional_end=case.provisional_end,
        itc_final_published=case.itc_final_published,
        itc_final_notified=case.itc_final_notified,
    )
