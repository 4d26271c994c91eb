"""一公开: the Publish page, the public view and the Verify page."""

MESSAGES = {
    # refusals of publication (core/publication)
    "publish.no_plans": ("{year} 年度没有抽查计划,无可公示。",
                         "--year {year}: no plans for that year."),
    "publish.out_is_file": ("{path} 是一个文件,不是文件夹;本次未做任何更改。",
                            "{path} is a file, not a folder; nothing was changed."),
    "publish.out_not_publication": (
        "{path} 已有其他内容(不是公示包,没有 `MANIFEST.json`),不会覆盖;请指定新的或空的文件夹。",
        "{path} holds other files (not a publication: no MANIFEST.json) and is not overwritten; "
        "choose a new or empty folder.",
    ),
    "publish.out_parent_missing": ("上级文件夹 {path} 不存在;本次未做任何更改。",
                                   "the parent folder {path} does not exist; nothing was changed."),
    "publish.out_not_writable": ("无权写入文件夹 {path};本次未做任何更改。",
                                 "the folder {path} is not writable; nothing was changed."),
    "publish.disk_full": (
        "磁盘已满,无法写入 {path};未留下不完整的文件夹,数据库未做任何更改。",
        "disk full while writing {path}: no partial folder was left and the database was not "
        "changed.",
    ),
    "publish.write_failed": ("无法写入 {path}:{error};本次未做任何更改。",
                             "cannot write {path}: {error}; nothing was changed."),
    "publish.frame_mismatch": (
        "计划 {plan_id} 第 {stratum} 层:保存的抽样框与抽取记录中的 SHA-256 不一致,该抽取无法导出;"
        "本次未做任何更改。",
        "plan {plan_id} stratum {stratum}: the stored frame does not match the record's "
        "`frame_sha256`, so the draw cannot be exported; nothing was changed.",
    ),
    "publish.bad_frame_path": ("抽取记录中的文件路径 {path} 不在公示包内;本次未做任何更改。",
                               "the record's file path {path} is not inside the publication; "
                               "nothing was changed."),
    "publish.rehearsal": (
        "{year} 年度的抽取是演练(密钥由人提供),不能作为正式抽取公示;本次未做任何更改。",
        "the {year} campaign is a rehearsal (a person supplied the secret) and can never be "
        "published as a real draw; nothing was changed.",
    ),
    "publish.stale_commitment": (
        "计划 {plan_id} 的抽取依据的承诺公告({commitment})不是现行公告;请在现行公告下重新抽取。"
        "本次未做任何更改。",
        "plan {plan_id} was drawn under the commitment notice {commitment}, not the one in force; "
        "re-draw it under the notice in force. Nothing was changed.",
    ),
    "publish.auditor_inside_public": (
        "审计包文件夹 {path} 不能与公示包相同或互相包含(审计包含风险分层,不得公开);"
        "本次未做任何更改。",
        "the auditor package folder {path} must be apart from the public folder (it holds risk "
        "tiers, which are not public); nothing was changed.",
    ),
    "publish.no_auditor_package": (
        "{year} 年度的抽取尚无审计包(抽取早于承诺公告格式);本次未做任何更改。",
        "the {year} draws have no auditor package (drawn before commitment notices); nothing "
        "was changed.",
    ),
    "publish.verify_failed": (
        "公示包中有 {n} 条抽取记录未通过验证(第一条:{first});本次未做任何更改。",
        "{n} draw records in the package do not verify (first: {first}); nothing was changed.",
    ),
    "nav.group.public": ("一公开", "一公开 · Publication"),
    "nav.publish": ("公示管理", "Publish"),
    "nav.public": ("公示查询", "Public notices"),
    "nav.verify": ("抽取验证", "Verify a draw"),
    "pub.year": ("年度", "Year"),
    # Publish page
    "pub.title": ("公示管理:计划、结果与期限", "Publish: plans, results and deadlines"),
    "pub.caption": (
        "计划公示在抽取前发布(含种子承诺);抽查结果须在检查完成后 20 个工作日内公示。"
        "每次公示均有版本、不可修改并记入审计日志;更正即发布新版本并引用旧版本。",
        "Plan notices go out before the draw (with the seed commitment); results must be public "
        "within 20 working days of the inspection. Every publication is versioned, immutable and "
        "audited; a correction is a new version that references the old one.",
    ),
    "pub.plans": ("年度抽查计划", "Plans this year"),
    "pub.plan_notices": ("已公示计划", "Plans published"),
    "pub.versions": ("公示版本数", "Notice versions"),
    "pub.versions_help": ("含更正与补充(如抽取后公布抽取数量)", "incl. corrections and updates "
                          "(e.g. quotas added after the draw)"),
    "pub.drawn": ("已抽取计划", "Plans drawn"),
    "pub.results": ("已公示结果", "Results published"),
    "pub.reason": ("更正或更新原因(内容有变化时记入新版本)",
                   "Reason for a correction or update (stored with any new version)"),
    "pub.publish": ("发布 / 更新公示", "Publish / update notices"),
    "pub.published": (
        "新发布 {new} 个版本(其中更正 {corrections} 个),{unchanged} 个未变化。",
        "{new} new versions stored ({corrections} corrections); {unchanged} unchanged.",
    ),
    "pub.history": ("更正与更新({n} 个新版本,旧版本保留不变)",
                    "Corrections and updates ({n} new versions; old versions kept unchanged)"),
    "pub.col.publication": ("公示编号", "Publication"),
    "pub.col.supersedes": ("替代的版本", "Supersedes"),
    "pub.col.reason": ("原因", "Reason"),
    "pub.downloads": ("下载公示文件", "Download the notices"),
    "pub.download_csv": ("CSV(Excel 可直接打开)", "CSV (opens in Excel)"),
    "pub.download_xlsx": ("Excel 工作簿", "Excel workbook"),
    "pub.download_json": ("JSON", "JSON"),
    "pub.nothing_published": ("本年度尚未发布公示。", "Nothing published for this year yet."),
    "pub.cli_hint": (
        "命令行写入文件夹(先整体验证、最后写入清单后一次性就位):`python -m core publish "
        "--year {year} --out 目录 [--auditor-out 审计包目录]`",
        "From the command line, into folders (verified as a whole, manifest last, then moved "
        "into place at once): `python -m core publish --year {year} --out DIR "
        "[--auditor-out AUDIT_DIR]`",
    ),
    "pub.package": ("公示包与审计包", "Public package and auditor package"),
    "pub.package_help": (
        "公示包:公告、抽取记录(不含风险分层)、各计划完整抽样框、活动清单与独立验证脚本,任何人可核验。"
        "审计包:分层抽样框与各层抽取结果,仅供监督机构,其哈希写在公示的活动清单中。",
        "Public package: notices, draw records (no risk tiers), each plan's whole frame, the "
        "campaign manifest and the standalone verifier; anyone can check it. Auditor package: "
        "per-tier frames and per-stratum selections, for the supervising bodies only; its hash "
        "is in the public campaign manifest.",
    ),
    "pub.prepare": ("生成下载文件", "Prepare the downloads"),
    "pub.preparing": ("正在生成公示包…", "Preparing the package…"),
    "pub.download_package": ("下载公示包(压缩文件)", "Download the public package (zip)"),
    "pub.download_auditor": ("下载审计包(压缩文件,仅限监督机构)",
                             "Download the auditor package (zip, supervising bodies only)"),
    "pub.package_refused": ("无法生成公示包:", "The package cannot be prepared:"),
    "pub.publish_refused": ("未能发布:", "Not published:"),
    "pub.deadlines": ("结果公示期限(按部门)", "Result publication deadlines by department"),
    "pub.no_results": (
        "尚无检查结果记录:检查人员分派与结果录入上线后,这里按部门列出逾期和即将到期"
        "(5 个工作日内)的结果公示。期限 = 检查完成后第 20 个工作日(北京时间,扣除周末与法定节假日,"
        "计入调休上班日)。",
        "No inspection results are recorded yet: once inspector assignment and result entry "
        "exist, overdue and due-soon (within 5 working days) result notices are listed here by "
        "department. Due date = the 20th working day after completion (Asia/Shanghai, skipping "
        "weekends and public holidays, counting 调休 make-up days).",
    ),
    "pub.no_completed": ("本年度尚无已完成的检查。", "No completed inspections this year."),
    "pub.today": ("截至 {day}(北京时间)", "As of {day} (Asia/Shanghai)"),
    "pub.overdue_list": ("逾期未公示", "Overdue"),
    "pub.due_soon_list": ("即将到期", "Due soon"),
    "pub.none": ("无", "None"),
    "deadline.overdue": ("逾期", "overdue"),
    "deadline.due_soon": ("即将到期", "due soon"),
    "deadline.open": ("未到期", "open"),
    "deadline.published": ("已公示", "published"),
    "col.dept": ("部门", "Department"),
    "col.dept_code": ("部门编码", "Department code"),
    "col.visit": ("检查编号", "Visit"),
    "col.enterprise": ("企业名称", "Enterprise"),
    "col.uscc": ("统一社会信用代码", "USCC"),
    "col.completed_on": ("完成日期", "Completed"),
    "col.due_on": ("公示期限", "Due"),
    "col.days_left": ("剩余工作日", "Working days left"),
    "col.plan_id": ("计划编号", "Plan"),
    "col.plan_name": ("计划名称", "Plan name"),
    "col.item_class": ("事项类别", "Item class"),
    "col.level": ("层级", "Level"),
    "col.lead_dept": ("牵头部门", "Lead department"),
    "col.period": ("实施期间", "Period"),
    "col.quota": ("抽取数量", "Drawn"),
    "col.version": ("版本", "Version"),
    "col.published_at": ("公示时间", "Published"),
    "col.plans": ("抽查计划", "Plans"),
    "col.departments": ("检查部门", "Inspecting departments"),
    "col.item": ("检查事项", "Item"),
    "col.outcome_codes": ("检查结果代码", "Outcome codes"),
    "col.category": ("结果类别", "Outcome category"),
    "category.problem": ("发现问题", "problem found"),
    "category.no_problem": ("未发现问题", "no problem found"),
    "category.excluded": ("不计入(停业、注销等)", "excluded (closed, deregistered…)"),
    "category.unknown": ("未知代码", "unknown code"),
    # public view
    "public.title": ("双随机抽查公示", "双随机 inspection notices"),
    "public.caption": (
        "年度抽查计划、抽中企业与检查结果,任何人可查询,无需登录。抽取是否随机,可在「抽取验证」页自行核验。",
        "The year's inspection plans, the enterprises drawn and the results: open to anyone, no "
        "sign-in. Whether a draw was random can be checked on the Verify page.",
    ),
    "public.search": ("企业名称或统一社会信用代码", "Enterprise name or USCC"),
    "public.search_plans": ("按计划名称筛选", "Filter plans by name"),
    "public.drawn_in": ("被抽中的计划", "Drawn in these plans"),
    "public.not_drawn": (
        "在已公示的抽取中未找到该企业。", "This enterprise is not in any published draw."
    ),
    "public.results": ("检查结果公示", "Published results"),
    "public.no_results": (
        "尚无检查结果公示:结果在检查完成后 20 个工作日内在此公示。",
        "No results published yet: results appear here within 20 working days of each "
        "inspection.",
    ),
    "public.plans": ("已公示的抽查计划({n} 个)", "Published plans ({n})"),
    "public.no_plans": ("本年度尚未公示抽查计划。", "No plans published for this year yet."),
    "public.plan_detail": ("计划详情", "Plan details"),
    "public.commitment": ("种子承诺 sha256(密钥)", "Seed commitment sha256(secret)"),
    "public.beacon_source": ("公开随机源", "Public beacon source"),
    # a plan notice, shown readably on the public view
    "notice.kind": ("计划类型", "Kind of plan"),
    "notice.members": ("参与部门", "Member departments"),
    "notice.frame": ("抽查对象范围(抽样框)", "Who can be drawn (the sampling frame)"),
    "notice.frame.kinds": ("主体类型", "Kinds of target"),
    "notice.frame.industries": ("行业", "Industries"),
    "notice.frame.districts": ("区", "Districts"),
    "notice.frame.streets": ("街道", "Streets"),
    "notice.frame.any": ("不限", "any"),
    "notice.items": ("检查事项({n} 项)", "Inspection items ({n})"),
    "notice.item_code": ("事项编码", "Item code"),
    "notice.method": ("检查方式", "Method"),
    "notice.legal_basis": ("检查依据", "Legal basis"),
    "notice.subject": ("检查对象", "Subject"),
    "notice.quotas": ("抽取数量(按层)", "Numbers drawn by stratum"),
    "notice.committed_at": ("抽取时间", "drawn at"),
    "notice.stratum": ("层", "Stratum"),
    "notice.frame_size": ("抽样框数量", "Frame size"),
    "notice.ratio": ("抽查比例", "Ratio"),
    "notice.not_drawn": ("尚未抽取:抽取后公布各层抽取数量。",
                         "Not drawn yet: the numbers drawn are published after the draw."),
    "notice.raw": ("原始公示数据(JSON)", "Raw notice data (JSON)"),
    "notice.download": ("下载本计划公示(JSON)", "Download this notice (JSON)"),
    # Verify page
    "verify.title": ("抽取验证", "Verify a draw"),
    "verify.caption": (
        "任何人都可以重新运行一次抽取:先核对密钥与事先公布的承诺、种子与公开随机源的推导,"
        "再按 suicha-prn-sha256-v1 算法在各层抽样框中重新抽取,并与公布的名单逐层比对。",
        "Anyone can re-run a draw: the secret is checked against the commitment published "
        "beforehand, the seed against its derivation from the secret and the public beacon, "
        "then each stratum's frame is drawn again with suicha-prn-sha256-v1 and compared with "
        "the published list.",
    ),
    "verify.source": ("验证对象", "What to verify"),
    "verify.source.published": ("已公示的抽取", "A published draw"),
    "verify.source.upload": ("上传记录与抽样框文件", "Upload a record and frame files"),
    "verify.source.commitment": ("仅核对承诺与种子", "Only the commitment and seed"),
    "verify.pick": ("选择抽取", "Draw"),
    "verify.no_draws": ("尚无已提交的抽取。", "No committed draws yet."),
    "verify.run": ("验证", "Verify"),
    "verify.files": (
        "公示包文件:公示包压缩文件,或 `commitment.json`、`manifest.json`、"
        "抽取记录与抽样框文件(可多选)",
        "Package files: the package zip, or commitment.json, manifest.json, the record(s) and "
        "frame file(s) (several at once)",
    ),
    "verify.auditor": ("审计包压缩文件(可选,供监督机构)", "Auditor package zip (optional, for "
                       "supervising bodies)"),
    "verify.upload_first": ("请上传公示包或抽取记录。", "Upload a package or a draw record."),
    "verify.cannot": ("无法验证所上传的内容:", "What was uploaded cannot be verified:"),
    "verify.who": ("谁能核验什么", "Who can check what"),
    "verify.who_public": (
        "**公众(公示包,不含风险分层):** 承诺公告在抽取前发布、不是演练、公开随机源日期晚于公告;"
        "密钥与承诺、种子与随机源一致;每个计划的完整抽样框与抽取前公告中锚定的哈希一致;"
        "各层比例来自公告中的比例表,抽取数量按层规模计算且合计一致;抽中名单数量正确、"
        "均在抽样框内、按 u(c) 排序,且存在一种按公布的各层规模划分抽样框的方式,使每层抽中的正是"
        "该层 u 最小的企业;活动清单列出全部计划,记录与抽样框均可逐一核对哈希。"
        "哪家企业属于哪一层不公开,因此真实的分层是否如此需由审计方核验。",
        "**The public (public package, no risk tiers):** the commitment notice came before the "
        "draw, is not a rehearsal, and names a beacon date after its publication; the secret "
        "matches the commitment and the seed its derivation from the beacon; each plan's whole "
        "frame is the one anchored in the notice before the draw; each stratum's ratio is the "
        "notice's, its quota follows from its size, and the sums agree; the selection has the "
        "quota's number of distinct codes of the frame, in u(c) order, and some split of the "
        "frame into strata of the published sizes makes each stratum's selection its smallest "
        "u; the campaign manifest lists every plan and every file hashes as listed. Which firm "
        "is in which tier is not public, so whether the real split is such a one is the "
        "auditor's check.",
    ),
    "verify.who_auditor": (
        "**审计方(另加审计包,含分层抽样框):** 审计包的哈希与公示的活动清单一致;"
        "分层抽样框与抽取前公告中的加盐摘要一致、互不重叠且合并后即为公开的完整抽样框;"
        "仅用 hashlib 逐层重新计算抽取结果,逐位一致,且公开名单正是各层结果按 u(c) 的合并。",
        "**An auditor (with the auditor package, per-tier frames):** the auditor package hashes "
        "to what the public manifest says; the tier frames reproduce the salted digest anchored "
        "in the notice before the draw, are disjoint and merge into the public whole frame; "
        "every stratum's selection is recomputed bit for bit with hashlib alone, and the public "
        "selection is their merge in u(c) order.",
    ),
    "verify.match": ("一致:抽取结果可完全重现,与公布名单相同。",
                     "Match: the draw re-runs exactly as published."),
    "verify.mismatch": ("不一致:{n} 项检查未通过,见下表。",
                        "Mismatch: {n} checks failed, see below."),
    "verify.check": ("检查项", "Check"),
    "verify.stratum": ("层", "Stratum"),
    "verify.ok": ("结果", "Result"),
    "verify.detail": ("说明", "Detail"),
    "verify.pass": ("通过", "pass"),
    "verify.fail": ("未通过", "FAIL"),
    "verify.secret": ("密钥", "Secret"),
    "verify.commitment": ("种子承诺", "Seed commitment"),
    "verify.beacon": ("公开随机数", "Beacon value"),
    "verify.seed": ("种子(可选)", "Seed (optional)"),
    "verify.commitment_ok": (
        "sha256(密钥) 与承诺一致。", "sha256(secret) matches the commitment."
    ),
    "verify.commitment_bad": ("sha256(密钥) = {h},与承诺不一致。",
                              "sha256(secret) = {h}: does not match the commitment."),
    "verify.seed_ok": (
        "种子 = sha256(密钥|公开随机数),一致。", "seed = sha256(secret|beacon): match."
    ),
    "verify.seed_bad": ("sha256(密钥|公开随机数) = {h},与种子不一致。",
                        "sha256(secret|beacon) = {h}: does not match the seed."),
    "verify.script": (
        "离线核验:公示包中的 verify_draw.py 仅依赖 Python 标准库,在公示包文件夹中运行 "
        "`python verify_draw.py`(审计方加 `--auditor 审计包文件夹`)。",
        "Offline: verify_draw.py in every publication uses only Python's standard library: run "
        "`python verify_draw.py` in the package folder (an auditor adds `--auditor AUDIT_DIR`).",
    ),
    "verify.download_script": ("下载 verify_draw.py", "Download verify_draw.py"),
}  # fmt: skip
