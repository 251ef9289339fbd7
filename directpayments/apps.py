from django.apps import AppConfig


class DirectPaymentsConfig(AppConfig):
    name = "directpayments"
    verbose_name = "Direct payments"

    def ready(self) -> None:
        # The spend pages count direct payments from their records (shortbreaks.spend_sources).
        from directpayments.selectors import spend_by_financial_year, spend_by_month
        from shortbreaks.spend_sources import (
            MonthlySpendSource,
            SpendSource,
            register,
            register_monthly,
        )

        register(
            SpendSource(
                package_type="direct_payments",
                label="Direct payments paid, less unspent money recovered",
                totals=spend_by_financial_year,
            )
        )
        register_monthly(
            MonthlySpendSource(
                label="Direct payments paid, less unspent money recovered",
                by_month=spend_by_month,
            )
        )
