from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self) -> None:
        # The spend pages chart what packages cost by month (shortbreaks.spend_sources).
        from referrals.trends import package_cost_by_month
        from shortbreaks.spend_sources import MonthlySpendSource, register_monthly

        register_monthly(
            MonthlySpendSource(
                label="Commissioned and spot-purchased support",
                by_month=package_cost_by_month,
            )
        )
