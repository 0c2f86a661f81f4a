"""The synthetic marketplace (pure): who sells, what they sell, how they behave, at what scale.

The world depends on the seed only, so consecutive years of one seed are one marketplace with
the same merchants and creators; what happens in a year depends on the seed and the year."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from typing import Literal

Scale = Literal["tiny", "small", "medium"]


@dataclass(frozen=True)
class ScaleSpec:
    merchants: int
    creators: int
    attempts_per_day: int  # publish attempts (listings and content) across the marketplace
    reviews_per_day: int  # what the review team gets through in a day
    chunk: int  # publish attempts screened and stored per transaction
    qa_min: int  # the daily QA sample's floor, sized to the marketplace
    orders_per_day: int = 0  # orders placed across the marketplace


SCALES: dict[str, ScaleSpec] = {
    "tiny": ScaleSpec(
        merchants=40,
        creators=20,
        attempts_per_day=6,
        reviews_per_day=6,
        chunk=500,
        qa_min=1,
        orders_per_day=8,
    ),
    "small": ScaleSpec(
        merchants=800,
        creators=400,
        attempts_per_day=130,
        reviews_per_day=30,
        chunk=2000,
        qa_min=2,
        orders_per_day=60,
    ),
    "medium": ScaleSpec(
        merchants=20_000,
        creators=10_000,
        attempts_per_day=10_000,  # about 3.7 million attempts: over 5 million stored events
        reviews_per_day=300,
        chunk=5000,
        qa_min=20,
        orders_per_day=1000,
    ),
}

# Behaviour profiles: share of merchants, chance that a publish attempt breaks a rule, chance
# that a violating attempt is disguised, chance of re-publishing after a block, and how much
# they publish relative to the average.
PROFILES = {
    "honest": (0.70, 0.006, 0.05, 0.9, 1.0),
    "careless": (0.20, 0.06, 0.15, 0.8, 1.0),
    "repeat": (0.08, 0.30, 0.45, 0.95, 1.6),
    "ring": (0.02, 0.45, 0.6, 1.0, 2.0),
}

MERCHANT_CATEGORIES = (
    ("cosmetics", 14), ("food", 12), ("fresh_produce", 9), ("supplements", 7), ("apparel", 14),
    ("footwear", 8), ("luxury", 4), ("electronics", 9), ("home", 10), ("baby", 6), ("drugs", 2),
    ("medical_devices", 2), ("other", 3),
)  # fmt: skip

# Which rules a violating attempt breaks, by category (weights).
CODE_MIX: dict[str, tuple[tuple[str, int], ...]] = {
    "cosmetics": (("claim.efficacy_guarantee", 4), ("claim.medical", 3), ("ad.absolute_term", 4),
                  ("ip.counterfeit_signal", 1), ("diversion.off_platform", 1)),
    "food": (("claim.medical", 3), ("ad.absolute_term", 3), ("marketing.sob_story", 2),
             ("claim.efficacy_guarantee", 1), ("diversion.off_platform", 1)),
    "fresh_produce": (("marketing.sob_story", 5), ("ad.absolute_term", 2),
                      ("diversion.off_platform", 1)),
    "supplements": (("claim.medical", 5), ("claim.efficacy_guarantee", 3), ("ad.absolute_term", 1)),
    "apparel": (("ip.counterfeit_signal", 3), ("ad.absolute_term", 3),
                ("diversion.off_platform", 1)),
    "footwear": (("ip.counterfeit_signal", 5), ("ad.absolute_term", 1)),
    "luxury": (("ip.counterfeit_signal", 6), ("diversion.off_platform", 1)),
    "electronics": (("ad.absolute_term", 3), ("goods.prohibited", 1), ("ip.counterfeit_signal", 1)),
    "home": (("ad.absolute_term", 3), ("goods.prohibited", 1), ("claim.efficacy_guarantee", 1)),
    "baby": (("ad.absolute_term", 2), ("claim.medical", 1), ("claim.efficacy_guarantee", 1)),
    "drugs": (("ad.absolute_term", 2), ("claim.efficacy_guarantee", 2), ("goods.prohibited", 1)),
    "medical_devices": (("claim.efficacy_guarantee", 2), ("ad.absolute_term", 1)),
    "other": (("goods.prohibited", 3), ("diversion.off_platform", 2), ("pii.exposure", 1)),
    "content": (("ad.absolute_term", 4), ("claim.efficacy_guarantee", 3),
                ("marketing.sob_story", 3), ("diversion.off_platform", 3), ("claim.medical", 2),
                ("ip.counterfeit_signal", 1), ("pii.exposure", 1)),
}  # fmt: skip


@dataclass(frozen=True)
class Actor:
    """A merchant (shop) or creator as the simulator plays it."""

    id: str
    type: str  # merchant or creator
    name: str
    followers: int
    profile: str
    categories: tuple[str, ...]
    activity: float  # relative publishing rate
    ring: int | None
    contact_digest: str


def _digest(seed: int, contact: str) -> str:
    return hashlib.sha256(f"sim:{seed}:{contact}".encode()).hexdigest()


def _profile(rng: random.Random) -> str:
    names = list(PROFILES)
    return rng.choices(names, weights=[PROFILES[n][0] for n in names])[0]


def build(seed: int, scale: str) -> list[Actor]:
    """The marketplace's merchants and creators for this seed and scale."""
    spec = SCALES[scale]
    rng = random.Random(f"world:{seed}:{scale}")
    cats = [c for c, _ in MERCHANT_CATEGORIES]
    weights = [w for _, w in MERCHANT_CATEGORIES]
    actors: list[Actor] = []
    rings = max(1, spec.merchants // 100)
    for i in range(spec.merchants):
        profile = _profile(rng)
        ring = rng.randrange(rings) if profile == "ring" else None
        picked = tuple(sorted(set(rng.choices(cats, weights=weights, k=rng.choice((1, 1, 2))))))
        contact = f"ring-{ring}" if ring is not None else f"m-{i}"
        actors.append(
            Actor(
                id=f"shop-{seed}-{i:05d}",
                type="merchant",
                name=f"店铺{i:05d}",
                followers=0,
                profile=profile,
                categories=picked,
                activity=PROFILES[profile][4] * rng.uniform(0.3, 1.7),
                ring=ring,
                contact_digest=_digest(seed, contact),
            )  # fmt: skip
        )
    for i in range(spec.creators):
        profile = _profile(rng)
        # Followers are heavy-tailed: most creators are small, a few have millions.
        followers = min(int(800 * rng.paretovariate(0.75)), 60_000_000)
        actors.append(
            Actor(
                id=f"creator-{seed}-{i:05d}",
                type="creator",
                name=f"达人{i:05d}",
                followers=followers,
                profile=profile,
                categories=("content",),
                activity=PROFILES[profile][4] * (1.0 + min(followers, 5_000_000) / 1_000_000),
                ring=None,
                contact_digest=_digest(seed, f"c-{i}"),
            )  # fmt: skip
        )
    return actors
