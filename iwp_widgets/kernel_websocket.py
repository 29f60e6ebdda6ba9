"""The kernel websocket of the Voilà server, with each message sent at once.

Tornado leaves Nagle's algorithm on for websockets, and jupyter_server does not turn it off. A
kernel answers a slider move with a burst of small messages (busy, the widget's echo, the new
chart, idle): the first goes out, and TCP then holds the rest until the browser acknowledges the
first, which Linux's delayed ACK puts off for 40 ms. Measured with benchmarks/bench_app_latency.py:
the chart's message reached the browser 40 ms after the kernel sent it. TCP_NODELAY sends each
message as it comes; these messages are few and small, so the extra packets cost nothing.

Configured in voila.py (``c.Voila.kernel_websocket_connection_class``).
"""

from __future__ import annotations

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection


class NoDelayKernelConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel websocket connection with TCP_NODELAY set when it connects."""

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()
