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


def _recorded_by(row) -> str:
    user = row.recorded_by
    return (user.get_full_name() or user.get_username()) if user else ""


# One agreement's payments, recoveries and reviews.
PAYMENTS = Export(
    name="direct-payment-payments",
    object_type="directpayments.payment",
    columns=(
        Column("Payment", "pk"),
        Column("Agreement", "agreement.reference"),
        Column("Paid on", "paid_on"),
        Column("Amount (£)", "amount"),
        Column("Finance reference", "reference"),
        Column("Recorded by", _recorded_by),
        Column("Recorded at", "recorded_at"),
    ),
)

RECOVERIES = Export(
    name="direct-payment-recoveries",
    object_type="directpayments.recovery",
    columns=(
        Column("Recovery", "pk"),
        Column("Agreement", "agreement.reference"),
        Column("Recovered on", "recovered_on"),
        Column("Amount (£)", "amount"),
        Column("Reason", "reason"),
        Column("Recorded by", _recorded_by),
        Column("Recorded at", "recorded_at"),
    ),
)

REVIEWS = Export(
    name="direct-payment-reviews",
    object_type="directpayments.agreementreview",
    columns=(
        Column("Review", "pk"),
        Column("Agreement", "agreement.reference"),
        Column("Held on", "held_on"),
        Column("Outcome", "get_outcome_display"),
        Column("Notes", "notes"),
        Column("Recorded by", _recorded_by),
        Column("Recorded at", "recorded_at"),
    ),
)
