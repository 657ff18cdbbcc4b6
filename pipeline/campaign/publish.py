"""What a public paper (公示) may carry about a person: one whitelist, enforced where contexts are built.

docs/reference.md, 公开字段: name, gender, 民族, birth year-month, 政治面貌, education,
参加工作时间, current post, the post applied for or appointed to, and scores where the plan says so.
Never 身份证号, phone numbers, home addresses or the reasons someone failed review.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from pipeline.errors import PipelineError
from pipeline.campaign.personal_data import describe, redact, shape_findings, strings_in

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
    """Keep only the whitelisted fields of a person dict (docs/reference.md, 公开字段)."""
    return {k: v for k, v in person.items() if k in PUBLIC_PERSON_FIELDS}


# Input columns whose free text reaches a public paper: the applicant's name, 民族 and 现工作单位及职务
# (PUBLIC_PERSON_FIELDS name, ethnicity, current_post) and the post's 部门, 职位名称 and 其他条件 (the 公示
# and the 实施方案's 附件 职位表). The reader refuses personal data in them (pipeline.campaign.personal_data).
PUBLIC_APPLICANT_COLUMNS = ("name", "ethnicity", "current_post")
PUBLIC_POST_COLUMNS = ("department", "title", "other_conditions")

def office_contacts(settings) -> list[str]:
    """The office's own contacts, printed in every 公示 on purpose (not personal data): 受理电话, 受理地址, 监督电话."""
    values = (settings.notice.phone, settings.notice.address, settings.supervision.phone)
    return [v for v in values if v]


def check_public_papers(docs: Iterable, settings) -> None:
    """Defence in depth: scan every string a public paper's context holds for personal-data shapes.

    The readers refuse such cells; this catches what a later change to a context might let through.
    The message names the paper and the field and shows the matched numbers masked.
    """
    allowed = office_contacts(settings)
    leaks = []
    for job in docs:
        if not job.public:
            continue
        for where, text in strings_in(job.context):
            for value in allowed:
                text = text.replace(value, "")
            found = shape_findings(text)
            if found:
                leaks.append(f"  公示《{redact(job.title)}》的「{where}」中有{describe(found)}")
    if leaks:
        raise PipelineError("\n".join(["公示中不得出现身份证号、电话号码或家庭住址，未生成任何文件：", *leaks,
                                        "请在输入表格或 campaign.toml 中删去这些内容后重新运行"]))
