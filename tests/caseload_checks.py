"""A check shared by the engine tests: one caseload row group equals simulate() of its plan."""

import numpy as np


def assert_rows_match_simulate(rows, table):
    """``rows``: one beneficiary's caseload output indexed by month; ``table``: simulate(plan).

    Every caseload column is compared, EN payments included (both come from the Ticket layer).
    """
    assert rows.index.equals(table.index)
    for column in rows.columns.drop("id"):
        got, want = rows[column].to_numpy(), table[column].to_numpy()
        if column == "ssdi_status":
            assert list(got.astype(str)) == list(want)
        else:
            assert np.allclose(got.astype(float), want.astype(float), equal_nan=True), column
