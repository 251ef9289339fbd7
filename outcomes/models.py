"""Outcomes and satisfaction: what families say after a period of short breaks.

A council sets a survey for a period, with the questions every survey has built in (whether the
breaks gave the carer the time Regulation 3 of the Breaks for Carers of Disabled Children
Regulations 2011 speaks of; how satisfied they are with each service their child used; what
would make it better) and any of its own. Sending it invites each family with support running in
the period: the parent carer, and the child through an easy-read form. Each invitation is
answered once: through the parent's own account, through a signed link that expires (only the
SHA-256 of its secret is kept), or by a social worker on the family's behalf.

Answers about a service keep the service, its provider and its lot, so the reports count by
each without a child's name.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from contracts.models import Lot
from providers.models import Provider, Service
from referrals.models import Carer, Child
from shortbreaks.councils.models import CouncilOwned
from shortbreaks.states import FSMField, Rule, transition

MANAGE_SURVEY = "outcomes.manage_survey"


def _actor_fk(**kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,
    )


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class QuestionKind(models.TextChoices):
    # Built in: every survey has these three.
    REGULATION_3 = "regulation_3", "Time the breaks gave the carer (Regulation 3)"
    SATISFACTION = "satisfaction", "Satisfaction with each service used"
    IMPROVEMENT = "improvement", "What would make it better"
    # The council's own.
    SCALE = "scale", "Your own question: a 5-point scale"
    TEXT = "text", "Your own question: free text"


BUILT_IN = (QuestionKind.REGULATION_3, QuestionKind.SATISFACTION, QuestionKind.IMPROVEMENT)


class TimeUse(models.TextChoices):
    """Regulation 3: breaks that let carers work, study or train, rest or take part in leisure,
    meet the needs of other children in the family, or do the everyday tasks of the household."""

    WORK = "work", "Go to work"
    STUDY = "study", "Study or train"
    REST = "rest", "Rest, or do something for myself"
    OTHER_CHILDREN = "other_children", "Look after my other children"
    EVERYDAY_TASKS = "everyday_tasks", "Do everyday tasks, like shopping and housework"
    NONE = "none", "None of these"


class Rating(models.IntegerChoices):
    VERY_SATISFIED = 5, "Very satisfied"
    SATISFIED = 4, "Satisfied"
    NEITHER = 3, "Neither satisfied nor dissatisfied"
    DISSATISFIED = 2, "Dissatisfied"
    VERY_DISSATISFIED = 1, "Very dissatisfied"


class Face(models.IntegerChoices):
    """The easy-read scale, on the same 5 points as the carers' so the reports add them up."""

    HAPPY = 5, "Happy"
    OK = 3, "OK"
    SAD = 1, "Sad"


SATISFIED_AT_LEAST = 4


class Respondent(models.TextChoices):
    PARENT = "parent", "Parent carer"
    CHILD = "child", "Child (easy read)"


class Channel(models.TextChoices):
    ACCOUNT = "account", "Their parent account"
    LINK = "link", "A link sent to them"
    STAFF = "staff", "A social worker, on their behalf"


class Survey(CouncilOwned):
    title = models.CharField(max_length=200)
    period_start = models.DateField(help_text="The first day of the breaks it asks about.")
    period_end = models.DateField(help_text="The last day of the breaks it asks about.")
    closes_on = models.DateField(help_text="The last day answers are taken.")
    status = FSMField(max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    created_by = _actor_fk()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["council", "-period_end", "-id"], name="survey_list")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="survey_period_ends_after",
            )
        ]

    def __str__(self) -> str:
        return self.title

    # Its status changes, declared once (shortbreaks/states.py); outcomes/services.py makes them.

    @transition(
        field=status,
        source=[SurveyStatus.DRAFT],
        target=SurveyStatus.DRAFT,
        permission=MANAGE_SURVEY,
        custom={
            "label": "Add a question",
            "refused": "Questions can be added only before the survey is sent",
        },
    )
    def add_question(self):
        pass

    @transition(
        field=status,
        source=[SurveyStatus.DRAFT, SurveyStatus.OPEN],
        target=SurveyStatus.OPEN,
        permission=MANAGE_SURVEY,
        conditions=[
            Rule(
                lambda survey: survey.closes_on >= timezone.localdate(),
                "The survey's closing date has passed",
            )
        ],
        custom={"label": "Send the survey", "refused": "This survey has closed"},
    )
    def send(self):
        pass

    @transition(
        field=status,
        source=[SurveyStatus.OPEN],
        target=SurveyStatus.CLOSED,
        permission=MANAGE_SURVEY,
        custom={"label": "Close the survey", "refused": "Only an open survey can be closed"},
    )
    def close(self):
        pass

    @transition(
        field=status,
        source=[SurveyStatus.OPEN],
        target=SurveyStatus.OPEN,
        permission=None,  # a parent's account, a signed link or a social worker on their behalf
        custom={"label": "Answer", "refused": "This survey is not open for answers"},
    )
    def take_answers(self):
        pass


class Question(CouncilOwned):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.CharField(max_length=300)
    easy_read_text = models.CharField(
        max_length=300, blank=True, help_text="Plain words for the child's form; empty: not asked."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["council", "survey"])]

    def __str__(self) -> str:
        return self.text

    @property
    def built_in(self) -> bool:
        return self.kind in BUILT_IN


class Invitation(CouncilOwned):
    """One family member asked to answer one survey, once."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="survey_invitations")
    carer = models.ForeignKey(
        Carer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    token_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the secret.")
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["council", "survey"]),
            models.Index(fields=["council", "child"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "child", "respondent"], name="invitation_one_per_respondent"
            )
        ]


class Response(CouncilOwned):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, related_name="response")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="survey_responses")
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recorded_by = _actor_fk()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["council", "survey"])]


class Answer(CouncilOwned):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # For a satisfaction answer: the service it is about, with its provider and lot.
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["council", "question"]),
            models.Index(fields=["council", "service"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="answer_rating_1_to_5",
            )
        ]
