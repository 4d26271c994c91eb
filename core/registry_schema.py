"""The 一单两库 declared once: each registry's columns, types, enumerations and code rules.

Import validation, export, search and the page all read these declarations, so a column added
here is imported, exported and shown everywhere (the datasette idea of one table registry).
A registry file's columns are exactly the table's columns, in table order, with these names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core import reference_data as ref
from core.codes import ITEM_CLASSES

# Text form of a list column (inspectors.qualifications) in CSV/XLSX: values joined by the
# Chinese enumeration comma "、". Import also accepts ";" "," and their full-width forms.
LIST_SEPARATOR = "、"
LIST_SEPARATORS_READ = "、;,"

BOOL_TRUE = frozenset({"true", "t", "1", "yes", "y", "是"})
BOOL_FALSE = frozenset({"false", "f", "0", "no", "n", "否"})

LEVELS = ("city", "district", "street")
METHODS = ("onsite", "offsite")
KINDS = tuple(k[0] for k in ref.KINDS)
STATUSES = tuple(s[0] for s in ref.STATUSES)

# Longest accepted value by kind, unless a column declares its own (a 5,000,000-character name
# is a broken file, not a name).
DEFAULT_MAX_LENGTH = {"text": 200, "code": 32, "int": 24, "float": 32, "bool": 8, "date": 10,
                      "list": 400}  # fmt: skip
# Registration dates: none before the 1949 founding of the registers' predecessors' era ends up
# in a market-supervision directory, and none in the future.
EARLIEST_REGISTRATION = "1949-10-01"

INSPECTOR_ID_PATTERN = r"^\d{6}[MQJ]\d{2}\d{4}$"
INDUSTRY_PATTERN = r"^\d{4}$"


@dataclass(frozen=True)
class Column:
    """One column of a registry file and table.

    kind: text | code | int | float | bool | date | list. `code` columns are normalised harder
    (all whitespace removed, upper case). `enum` lists the stored values; `enum_domain` names the
    i18n label domain whose Chinese and English labels are accepted as aliases (企业 -> enterprise).
    """

    name: str
    kind: str = "text"
    required: bool = True
    enum: tuple[str, ...] | None = None
    enum_domain: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    pattern_hint: str = ""
    rule: str | None = None  # code rule checked with core/codes.py: uscc | item | dept
    max_length: int | None = None  # characters after normalisation; None: the kind's default
    earliest: str | None = None  # date columns: the plausible range, ISO dates; "today" allowed
    latest: str | None = None

    @property
    def length_limit(self) -> int:
        """The longest value accepted: declared, or the default of the column's kind."""
        return self.max_length or DEFAULT_MAX_LENGTH.get(self.kind, 200)


@dataclass(frozen=True)
class Registry:
    """A registry: its table, key column, columns, and what it may be searched and filtered by."""

    name: str  # items | targets | inspectors
    table: str
    key: str
    columns: tuple[Column, ...]
    search_code: str  # column matched by code prefix
    search_name: str = "name"
    filters: tuple[str, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _ints(*names: str, minimum: float = 0, maximum: float = 32767) -> tuple[Column, ...]:
    return tuple(Column(n, "int", minimum=minimum, maximum=maximum) for n in names)


def _bools(*names: str) -> tuple[Column, ...]:
    return tuple(Column(n, "bool") for n in names)


def _rates(*names: str) -> tuple[Column, ...]:
    return tuple(Column(n, "float", minimum=0, maximum=1) for n in names)


ITEMS = Registry(
    name="items",
    table="items",
    key="item_code",
    columns=(
        Column("item_code", "code", rule="item"),
        Column("dept_code", "code", rule="dept"),
        Column("name"),
        Column("item_class", "code", enum=ITEM_CLASSES, enum_domain="item_class"),
        Column("content", max_length=2000),
        Column("legal_basis", max_length=1000),
        Column("subject"),
        Column("method", enum=METHODS, enum_domain="method"),
        Column("level", enum=LEVELS, enum_domain="level"),
        Column("field"),
        Column("ratio_bp", "int", minimum=0, maximum=10000),
        Column("frequency", "int", minimum=1, maximum=366),
    ),
    search_code="item_code",
    filters=("dept_code", "item_class", "level"),
)

TARGETS = Registry(
    name="targets",
    table="targets",
    key="uscc",
    columns=(
        Column("uscc", "code", rule="uscc"),
        Column("name"),
        Column("kind", enum=KINDS, enum_domain="kind"),
        Column(
            "industry", "code", pattern=INDUSTRY_PATTERN, pattern_hint="4位国民经济行业小类代码"
        ),
        Column("district"),
        Column("street"),
        Column("registered_on", "date", earliest=EARLIEST_REGISTRATION, latest="today"),
        Column("status", enum=STATUSES, enum_domain="status"),
        Column("registered_capital", "float", minimum=0, maximum=1e12),
        *_ints("branches", "legal_rep_changes", "name_changes", "address_changes"),
        *_ints("scope_changes"),
        Column("paid_in_ratio", "float", minimum=0, maximum=1),
        *_bools("tax_arrears", "social_security_arrears"),
        *_ints("equity_pledges"),
        Column("firms_at_address", "int", minimum=0, maximum=2_000_000_000),
        *_bools("abnormal_list", "serious_violation", "judgment_defaulter"),
        *_ints("penalties_3y", "past_findings"),
        *_bools("annual_report_overdue", "licence_revoked"),
        *_rates("related_revoked_rate", "related_abnormal_rate", "related_penalty_rate"),
        *_ints("complaints_12m"),
        *_bools("negative_media", "red_list", "yellow_list", "black_list"),
    ),
    search_code="uscc",
    filters=("district", "street", "industry", "kind", "status", "tier"),
)

INSPECTORS = Registry(
    name="inspectors",
    table="inspectors",
    key="inspector_id",
    columns=(
        Column(
            "inspector_id",
            "code",
            pattern=INSPECTOR_ID_PATTERN,
            pattern_hint="部门代码(9位)+4位序号,如 440300M010001",
        ),
        Column("name"),
        Column("dept_code", "code", rule="dept"),
        Column("district", required=False),
        Column("street", required=False),
        Column("qualifications", "list"),
        Column("certified", "bool"),
        Column("active", "bool"),
    ),  # fmt: skip
    search_code="inspector_id",
    filters=("dept_code", "district", "active"),
)

REGISTRIES: dict[str, Registry] = {r.name: r for r in (ITEMS, TARGETS, INSPECTORS)}


def registry(name: str) -> Registry:
    """The registry called `name`; a ValueError names the valid ones."""
    try:
        return REGISTRIES[name]
    except KeyError:
        raise ValueError(f"unknown registry {name!r}; one of {', '.join(REGISTRIES)}") from None
