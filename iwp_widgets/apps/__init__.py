"""The counselor apps. Each builds from a plan: ``App(plan)`` or ``App.from_query()`` in Voilà.

    from iwp_widgets.apps import earnings_projection
    earnings_projection.App.from_query().show()
"""
