from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self) -> None:
        # The register counts the support running on an expired contract's lots
        # (contracts.running_support).
        from contracts import running_support
        from referrals.selectors.packages import package_lines_running_on

        running_support.register(package_lines_running_on)

        # The header's search finds children and their referrals (shortbreaks.sitesearch).
        from referrals.selectors.children import child_list
        from referrals.selectors.referrals import referral_search
        from shortbreaks.sitesearch import SearchSource
        from shortbreaks.sitesearch import register as register_search

        register_search(
            SearchSource(
                key="children",
                heading="Children",
                permission="referrals.view_child",
                order=10,
                find=child_list,
                logged_as="referrals.child",
            )
        )
        register_search(
            SearchSource(
                key="referrals",
                heading="Referrals",
                permission="referrals.view_child",
                order=20,
                find=referral_search,
                logged_as="referrals.referral",
            )
        )

        # The spend pages chart what packages cost by month (shortbreaks.spend_sources).
        from referrals.trends import package_cost_by_month
        from shortbreaks.spend_sources import (
            MonthlySpendSource,
            register_monthly,
            register_summary,
        )

        register_monthly(
            MonthlySpendSource(
                label="Commissioned and spot-purchased support",
                by_month=package_cost_by_month,
            )
        )
        # The support summary keeps every source's spend by month: the spend page reads it there.
        from referrals.summary import published_spend

        register_summary(published_spend)
