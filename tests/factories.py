"""Factories shared by every app's tests. Related objects always share one council."""

import factory
from faker import Faker

from shortbreaks.councils.models import Council, Membership, Organisation, Team, User

fake = Faker("en_GB")
PASSWORD = "correct-horse-battery"


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"council-{n}")
    name = factory.LazyAttribute(lambda o: f"{o.slug.title()} Council")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    tiers = factory.LazyFunction(lambda: ["universal", "targeted", "specialist"])


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    council = factory.SubFactory(CouncilFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, council=factory.SelfAttribute("..council")
    )
    name = factory.Sequence(lambda n: f"Disabled Children's Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}@council.example")
    email = factory.SelfAttribute("username")
    first_name = factory.LazyFunction(fake.first_name)
    last_name = factory.LazyFunction(fake.last_name)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    council = factory.SubFactory(CouncilFactory)
    user = factory.SubFactory(UserFactory, active_council=factory.SelfAttribute("..council"))
    role = "social_worker"
