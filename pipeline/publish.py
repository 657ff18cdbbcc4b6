"""What a public paper (公示) may carry about a person: one whitelist, enforced where contexts are built.

DOMAIN.md, "What may be published": name, gender, 民族, birth year-month, 政治面貌, education,
参加工作时间, current post, the post applied for or appointed to, and scores where the plan says so.
Never 身份证号, phone numbers, home addresses or the reasons someone failed review.
"""
from __future__ import annotations

from typing import Any, Mapping

# Applicant fields a public paper may show (keys of the person dict handed to public templates).
PUBLIC_PERSON_FIELDS = frozenset({
    "number",  # 报名序号: an office-internal serial, no personal data
    "name",
    "gender",
    "ethnicity",
    "birth_month",
    "political_status",
    "education",
    "work_start",
    "current_post",
    "post_code",
    "post_title",
    "post_department",
    "scores",
    "total",
    "place",  # 名次 in a published ranking (the applicant's 现职级 is "rank" and stays internal)
})

# Fields that must never reach a public paper, whatever a template asks for.
PRIVATE_PERSON_FIELDS = frozenset({
    "id_number", "phone", "address", "reasons", "penalty_until", "party_join_date",
    "rank_since", "grassroots_years",
})


def public_person(person: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only the whitelisted fields of a person dict (DOMAIN.md, 公示)."""
    return {k: v for k, v in person.items() if k in PUBLIC_PERSON_FIELDS}


# Input columns whose free text reaches a public paper: the applicant's name, 民族 and 现工作单位及职务
# (PUBLIC_PERSON_FIELDS name, ethnicity, current_post) and the post's 部门, 职位名称 and 其他条件 (the 公示
# and the 实施方案's 附件 职位表). The reader refuses personal data in them (pipeline.personal_data).
PUBLIC_APPLICANT_COLUMNS = ("name", "ethnicity", "current_post")
PUBLIC_POST_COLUMNS = ("department", "title", "other_conditions")
