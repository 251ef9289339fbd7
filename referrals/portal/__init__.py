"""What people outside the council read of children: provider staff's "children we support"
pages (`views`) and API (`api`), the reads behind them (`selectors`), and the demo logins of
provider staff and parent carers (`demo`)."""
