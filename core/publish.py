"""Old home of publication, kept so that `core.publish.X` keeps working: the code now lives in
the package core/publication/ (one job per module). New code imports from there."""

from core.publication.deadlines import (  # noqa: F401
    DEADLINE_STATUSES,
    deadlines_by_department,
    visit_deadlines,
)
from core.publication.draws import (  # noqa: F401
    current_draws,
    draw_choices,
    draw_record,
    frame_bytes,
    stratum_frames,
)
from core.publication.notices import plan_notices  # noqa: F401
from core.publication.public_fields import (  # noqa: F401
    PUBLIC_COLUMNS,
    PUBLIC_KEYS,
    NotPublic,
    assert_public_json,
    assert_public_table,
    canonical,
    sha256_text,
    table_exists,
)
from core.publication.public_views import (  # noqa: F401
    public_plans,
    public_results,
    search_enterprise,
)
from core.publication.results import (  # noqa: F401
    outcome_category,
    outcome_codes,
    result_notices,
    results_available,
)
from core.publication.versions import (  # noqa: F401
    PLAN_NOTICE,
    RESULT_NOTICE,
    PublishSummary,
    latest_versions,
    publication_status,
    publication_years,
    publish_year,
    published,
    store_year,
    version_history,
)
