"""Caseload EN payments equal the Ticket layer's single-plan ``en_payments`` beneficiary by beneficiary.

Rules: 20 CFR 411.500 ff. (rules.md §6), as implemented in iwp_widgets.ticket.payments.
"""

import numpy as np
import pytest

from iwp_widgets.caseload import SyntheticSpec, generate_caseload
from iwp_widgets.caseload.en_payments import add_en_payments
from iwp_widgets.simulate import simulate_caseload
from iwp_widgets.ticket.payments import en_payments


@pytest.mark.parametrize("mix", [{"ssdi": 1.0}, {"ssi": 1.0}, {"concurrent": 1.0}])
def test_same_payments_as_one_plan_at_a_time(mix):
    caseload = generate_caseload(10, SyntheticSpec(months=48, benefit_mix=mix, ticket_share=0.7,
                                                   wage_median=22.0), seed=8)
    table = add_en_payments(simulate_caseload(caseload), caseload)
    months = 48
    paid_someone = False
    for i, row in caseload.iterrows():
        one = table.iloc[i * months:(i + 1) * months].set_index("month")
        assigned = row["ticket_assigned"] if isinstance(row["ticket_assigned"], str) else None
        expected = en_payments(one, row["benefits"], assigned)["en_payment"].to_numpy()
        np.testing.assert_allclose(one["en_payment"].to_numpy(), expected, err_msg=row["id"])
        paid_someone |= expected.sum() > 0
        if assigned is None:
            assert expected.sum() == 0
    assert paid_someone
