"""Statements of reasons in the layout of the EU DSA Transparency Database's statement API.

Pure: a stored decision or a sanction ledger entry in, one statement (a dict with the
database's field names and enumerations) out. Evidence in `decision_facts` is already masked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

# Our codes -> the database's categories, and whether the ground is illegality or our terms.
CATEGORY = {
    "ad.absolute_term": ("STATEMENT_CATEGORY_CONSUMER_INFORMATION", False),
    "claim.medical": ("STATEMENT_CATEGORY_CONSUMER_INFORMATION", True),
    "claim.efficacy_guarantee": ("STATEMENT_CATEGORY_CONSUMER_INFORMATION", False),
    "marketing.sob_story": ("STATEMENT_CATEGORY_SCAMS_AND_FRAUD", False),
    "diversion.off_platform": ("STATEMENT_CATEGORY_SCAMS_AND_FRAUD", False),
    "pii.exposure": ("STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", True),
    "privacy.data_trafficking": ("STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", True),
    "ip.counterfeit_signal": ("STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS", True),
    "goods.prohibited": ("STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS", True),
}
LEGAL_GROUND = {
    "claim.medical": "PRC Advertising Law Art. 17; Food Safety Law Art. 73",
    "pii.exposure": "PRC Personal Information Protection Law Art. 28",
    "privacy.data_trafficking": "PRC Personal Information Protection Law Art. 10; Criminal Law Art. 253-1",
    "ip.counterfeit_signal": "PRC Trademark Law Art. 57; E-Commerce Law Art. 41-45",
    "goods.prohibited": "PRC laws on firearms, narcotics, wildlife and forged documents",
}
CONTENT_TYPE = {
    "listing": "CONTENT_TYPE_PRODUCT",
    "content": "CONTENT_TYPE_VIDEO",
    "message": "CONTENT_TYPE_TEXT",
}
APPEAL = "Appeal within 7 days: POST /v1/appeals or the seller console; a second reviewer answers within 5 working days."


def _day(at: datetime) -> str:
    return at.date().isoformat()


def _ground(code: str, rule: str, facts: str) -> dict[str, Any]:
    category, illegal = CATEGORY.get(code, ("STATEMENT_CATEGORY_OTHER_VIOLATION_TC", False))
    out: dict[str, Any] = {"category": category}
    if illegal:
        out["decision_ground"] = "DECISION_GROUND_ILLEGAL_CONTENT"
        out["illegal_content_legal_ground"] = LEGAL_GROUND.get(code, "applicable law")[:500]
        out["illegal_content_explanation"] = facts[:2000]
    else:
        out["decision_ground"] = "DECISION_GROUND_INCOMPATIBLE_CONTENT"
        out["incompatible_content_ground"] = f"Marketplace policy {code} (rule {rule})"[:500]
        out["incompatible_content_explanation"] = facts[:2000]
        out["incompatible_content_illegal"] = "No"
    return out


def from_decision(row: dict[str, Any]) -> dict[str, Any]:
    """The statement for an item blocked at screening (content disabled before publication)."""
    violations = row["violations"]
    first = violations[0] if violations else {"code": "", "rule": "standing"}
    evidence = "; ".join(
        f"{v['code']}: '{v['match']}' in {v['field']} (rule {v['rule']})" for v in violations
    )
    facts = f"The {row['kind']} '{row['item_id']}' was not published. Evidence: {evidence or 'account standing'}."
    at: datetime = row["created_at"]
    return {
        "puid": f"sg-decision-{row['id']}",
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_DISABLED"],
        "content_type": [CONTENT_TYPE.get(row["kind"], "CONTENT_TYPE_TEXT")],
        "application_date": _day(at),
        "content_date": _day(at),
        "decision_facts": (facts + " " + APPEAL)[:5000],
        "source_type": "SOURCE_VOLUNTARY",
        "automated_detection": "Yes",
        "automated_decision": "AUTOMATED_DECISION_FULLY",
        "platform_policy_version": row["policy_version"],
        **_ground(first["code"], first["rule"], facts),
    }


def _restriction(sanction: str) -> dict[str, Any]:
    if sanction == "clear_out":
        return {
            "decision_account": "DECISION_ACCOUNT_TERMINATED",
            "decision_provision": "DECISION_PROVISION_TOTAL_TERMINATION",
        }
    if sanction == "suspension":
        return {
            "decision_account": "DECISION_ACCOUNT_SUSPENDED",
            "decision_provision": "DECISION_PROVISION_TOTAL_SUSPENSION",
        }
    if sanction == "selling_revoked":
        return {"decision_provision": "DECISION_PROVISION_PARTIAL_TERMINATION"}
    if sanction == "listing_restriction":
        return {"decision_provision": "DECISION_PROVISION_PARTIAL_SUSPENSION"}
    return {"decision_visibility": ["DECISION_VISIBILITY_CONTENT_DEMOTED"]}  # traffic_downrank


def from_sanction(entry: dict[str, Any], violation: dict[str, Any], points: int) -> dict[str, Any]:
    """The statement for a sanction on a merchant's or creator's account."""
    automatic = violation["source"] == "automatic"
    until = entry["until"]
    facts = (
        f"{entry['subject']} received {entry['sanction']} after violation {violation['id']} "
        f"({violation['code']}, {violation['severity']}) brought its {entry['track']} points to {points}."
    )
    out: dict[str, Any] = {
        "puid": f"sg-sanction-{entry['id']}",
        "content_type": [
            "CONTENT_TYPE_PRODUCT" if violation.get("item_id") else "CONTENT_TYPE_OTHER"
        ],
        "application_date": _day(entry["at"]),
        "content_date": _day(violation["at"]),
        "decision_facts": (facts + " " + APPEAL)[:5000],
        "source_type": "SOURCE_ARTICLE_16"
        if violation["source"] == "ip_complaint"
        else "SOURCE_VOLUNTARY",
        "automated_detection": "Yes" if automatic else "No",
        "automated_decision": "AUTOMATED_DECISION_PARTIALLY"
        if automatic
        else "AUTOMATED_DECISION_NOT_AUTOMATED",
        "account_type": "ACCOUNT_TYPE_BUSINESS",
        **_restriction(entry["sanction"]),
        **_ground(violation["code"], "points ladder", facts),
    }
    if "CONTENT_TYPE_OTHER" in out["content_type"]:
        out["content_type_other"] = "seller account"
    if until is not None:
        key = (
            "end_date_account_restriction"
            if "decision_account" in out
            else "end_date_service_restriction"
        )
        out[key] = _day(until)
    return out


def from_item_event(row: dict[str, Any], event: dict[str, Any], code: str) -> dict[str, Any]:
    """The statement for an item blocked after screening: by a reviewer (held items, QA
    samples) or because its owner was under a blocking sanction when it was published."""
    on_review = event["cause"] == "review"
    facts = f"The {row['kind']} '{row['item_id']}' was blocked " + (
        f"by a reviewer: {event['reason']}." if on_review else f"because {event['reason']}."
    )
    at: datetime = event["at"]
    out: dict[str, Any] = {
        "puid": f"sg-item-{event['id']}",
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_DISABLED"],
        "content_type": [CONTENT_TYPE.get(row["kind"], "CONTENT_TYPE_TEXT")],
        "application_date": _day(at),
        "content_date": _day(row["created_at"]),
        "decision_facts": (facts + " " + APPEAL)[:5000],
        "source_type": "SOURCE_VOLUNTARY",
        "automated_detection": "Yes",
        "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED"
        if on_review
        else "AUTOMATED_DECISION_FULLY",
        "platform_policy_version": row["policy_version"],
    }
    if code:
        out.update(_ground(code, "review" if on_review else "standing", facts))
    else:
        out.update(
            category="STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
            decision_ground="DECISION_GROUND_INCOMPATIBLE_CONTENT",
            incompatible_content_ground="Marketplace terms: sellers under suspension or revocation may not publish",
            incompatible_content_explanation=facts[:2000],
            incompatible_content_illegal="No",
        )
    return out
