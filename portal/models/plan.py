"""The return plan: a draft of ordinary rows, and immutable published versions.

The draft (`PlanItem`) is what caseworkers edit. Publishing copies the whole
draft into a `PlanVersion` with one `PublishedItem` per item; family views read
only the latest version's published items (DESIGN.md § 4). Published rows are
never updated: an ORM guard in `portal.publishing` refuses it.
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.models.case import Case, Member
from portal.models.enums import Audience, ItemKind, ItemStatus, Owner
from portal.models.staff import StaffUser

item_person = sa.Table(
    "item_person",
    Base.metadata,
    sa.Column("item_id", sa.ForeignKey("plan_item.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member_id", sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Plan(Base):
    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), unique=True)
    case: Mapped[Case] = relationship()
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", order_by="(PlanItem.position, PlanItem.id)", cascade="all, delete-orphan"
    )
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", order_by="PlanVersion.number", cascade="all, delete-orphan"
    )


class PlanItem(Base):
    """A goal, a step under a goal, or a milestone on the way home (draft)."""

    __tablename__ = "plan_item"
    # Published items and questions refer to a draft item by id across versions,
    # so an id must never be handed out twice. PostgreSQL sequences never reuse
    # ids; SQLite reuses the highest one after a delete unless told otherwise.
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ItemKind]
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan_item.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.Text)  # adult register; the binding German text
    simple_text: Mapped[str | None] = mapped_column(sa.Text)  # for children and easy-read
    pictogram: Mapped[str | None] = mapped_column(sa.String(40))
    owner: Mapped[Owner] = mapped_column(default=Owner.family)
    due_on: Mapped[date | None]
    status: Mapped[ItemStatus] = mapped_column(default=ItemStatus.open)
    position: Mapped[int] = mapped_column(default=0)
    audience: Mapped[Audience] = mapped_column(default=Audience.staff)
    entrusted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    revision: Mapped[int] = mapped_column(default=1)

    plan: Mapped[Plan] = relationship(back_populates="items")
    parent: Mapped[PlanItem | None] = relationship(remote_side=[id])
    # selectin: lists of items load these for all items in one query, not one per item.
    people: Mapped[list[Member]] = relationship(secondary=item_person, order_by="Member.id", lazy="selectin")
    entrusted_by: Mapped[Member | None] = relationship()
    consents: Mapped[list[Consent]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="Consent.id", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": revision}


class Consent(Base):
    """§ 65 SGB VIII: the entrusting person agreed that `recipient` may see the item."""

    __tablename__ = "consent"
    __table_args__ = (sa.UniqueConstraint("item_id", "recipient_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_item.id", ondelete="CASCADE"), index=True)
    given_by_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))

    item: Mapped[PlanItem] = relationship(back_populates="consents")
    given_by: Mapped[Member] = relationship(foreign_keys=[given_by_id])
    recipient: Mapped[Member] = relationship(foreign_keys=[recipient_id])
    recorded_by: Mapped[StaffUser | None] = relationship()


plan_version_note_person = sa.Table(
    "plan_version_note_person",
    Base.metadata,
    sa.Column("version_id", sa.ForeignKey("plan_version.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member_id", sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class PlanVersion(Base):
    """An immutable published snapshot of the whole plan.

    The note to the family has an audience like any item: a note that speaks of
    an item only Jonas sees must not go to everyone.
    """

    __tablename__ = "plan_version"
    __table_args__ = (sa.UniqueConstraint("plan_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    note_audience: Mapped[Audience] = mapped_column(default=Audience.family)

    plan: Mapped[Plan] = relationship(back_populates="versions")
    note_people: Mapped[list[Member]] = relationship(
        secondary=plan_version_note_person, order_by="Member.id", lazy="selectin"
    )
    author: Mapped[StaffUser | None] = relationship()
    items: Mapped[list[PublishedItem]] = relationship(
        back_populates="version", order_by="PublishedItem.position", cascade="all, delete-orphan"
    )
    responses: Mapped[list[VersionResponse]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="VersionResponse.id"
    )

    @property
    def current_responses(self) -> list[VersionResponse]:
        """Each member's newest answer to this version (earlier ones stay in `responses`)."""
        newest = {r.member_id: r for r in self.responses}  # ordered by id: the last one wins
        return sorted(newest.values(), key=lambda r: r.id)


published_item_person = sa.Table(
    "published_item_person",
    Base.metadata,
    sa.Column("published_item_id", sa.ForeignKey("published_item.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member_id", sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True),
)

published_item_consent = sa.Table(
    "published_item_consent",
    Base.metadata,
    sa.Column("published_item_id", sa.ForeignKey("published_item.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member_id", sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class PublishedItem(Base):
    """One plan item as it was published in a version. Never updated."""

    __tablename__ = "published_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_version.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(index=True)  # the draft item's id; stable across versions
    kind: Mapped[ItemKind]
    parent_item_id: Mapped[int | None]
    text: Mapped[str] = mapped_column(sa.Text)
    simple_text: Mapped[str | None] = mapped_column(sa.Text)
    pictogram: Mapped[str | None] = mapped_column(sa.String(40))
    owner: Mapped[Owner]
    due_on: Mapped[date | None]
    status: Mapped[ItemStatus]
    position: Mapped[int]
    audience: Mapped[Audience]
    entrusted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"))
    # {"en": {"text": ..., "simple_text": ..., "checked": true}, ...}
    translations: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    version: Mapped[PlanVersion] = relationship(back_populates="items")
    # Loaded only when asked for (one item's rule in `sharing.may_see`): family pages never show
    # them, and a list's snapshots read them for all its items at once (`publishing.snapshots`).
    people: Mapped[list[Member]] = relationship(secondary=published_item_person, order_by="Member.id")
    consent_recipients: Mapped[list[Member]] = relationship(secondary=published_item_consent, order_by="Member.id")


class VersionResponse(Base):
    """A parent's or youth's agreement or disagreement with a published version.

    Answering again adds a row: the newest answer counts, the earlier ones (and
    their comments) stay in the history the caseworker reads.
    """

    __tablename__ = "version_response"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_version.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    agrees: Mapped[bool]
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The caseworker marked the answer as seen (a disagreement talked over, an agreement noted).
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id", ondelete="SET NULL"))

    version: Mapped[PlanVersion] = relationship(back_populates="responses")
    member: Mapped[Member] = relationship()
    handled_by: Mapped[StaffUser | None] = relationship()
