"""Shared test set-up."""

from iwp_widgets.jupyter_workarounds import install as install_jupyter_workaround

# nbclient runs notebooks in this process; without this, a lost kernel reply stalls a notebook test
# for its whole cell timeout (see iwp_widgets/jupyter_workarounds.py).
install_jupyter_workaround()
