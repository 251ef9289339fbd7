"""Direct payment agreements as CSV and Excel: the columns, declared once for the page and the
API (shortbreaks.exports), with what was paid, recovered and the balance. Only people who may
read direct payments reach the list, so the child's name is shown as on the page."""

from shortbreaks.exports import Column, Export

AGREEMENTS = Export(
    name="direct-payments",
    object_type="directpayments.agreement",
    columns=(
        Column("Agreement", "reference"),
        Column("Child record", "child_id"),
        Column("Child", "child.full_name"),
        Column("Starts", "start_on"),
        Column("Ends", "end_on"),
        Column("Period", "get_period_display"),
        Column("Each period", "amount_per_period"),
        Column("Method", "get_method_display"),
        Column("Paid", "paid"),
        Column("Recovered", "recovered"),
        Column("Balance", "balance"),
        Column("Next check", "next_check_due"),
        Column("Ended on", "ended_on"),
    ),
)
