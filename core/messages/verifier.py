"""What the draw verifier's checks say (core/verify_draw_standalone.py TEXT keys, and the Verify
page's own reasons in core/verification.py), as the Verify page shows them. The standalone
script prints its own English; these are its keys in the reader's language. Identifiers and data
read from the files (paths, field names, values, formulas) are shown `literally`."""

MESSAGES = {
    "verifier.text": ("{text}", "{text}"),
    "verifier.value": ("`{value}`", "`{value}`"),
    "verifier.value.short": ("{type} `{text}`", "{type} `{text}`"),
    "verifier.type.null": ("空值", "null"),
    "verifier.type.bool": ("真假值", "true/false"),
    "verifier.type.int": ("整数", "an integer"),
    "verifier.type.float": ("小数", "a number"),
    "verifier.type.str": ("字符串", "a string"),
    "verifier.type.list": ("列表", "a list"),
    "verifier.type.dict": ("对象", "an object"),
    "verifier.type.other": ("`{name}`", "`{name}`"),
    "verifier.want.str": ("字符串", "a string"),
    "verifier.want.int": ("非负整数", "a non-negative integer"),
    "verifier.want.bool": ("真或假", "true or false"),
    "verifier.want.time": ("带时区偏移的时间", "a time with its UTC offset"),
    "verifier.want.date": ("日期(年-月-日)", "a date YYYY-MM-DD"),
    "verifier.file.unreadable": ("`{rel}`:无法读取", "`{rel}`: cannot be read ({reason})"),
    "verifier.file.missing": ("`{rel}`:缺少该文件", "`{rel}`: missing"),
    "verifier.file.too_large": (
        "`{rel}`:{size:,} 字节,超过允许的 {limit:,} 字节",
        "`{rel}`: {size:,} bytes, more than the {limit:,} allowed",
    ),
    "verifier.file.not_utf8": (
        "`{rel}`:不是 UTF-8 编码(第 {byte} 字节)",
        "`{rel}`: not UTF-8 (byte {byte})",
    ),
    "verifier.file.outside": ("`{rel}`:路径不在包内", "`{rel}`: not a path inside the package"),
    "verifier.json.bom": (
        "`{rel}`:以 UTF-8 字节顺序标记(BOM)开头,不是规范 JSON",
        "`{rel}`: starts with a UTF-8 byte-order mark (not canonical JSON)",
    ),
    "verifier.json.too_deep": ("`{rel}`:嵌套层级过深", "`{rel}`: nested too deeply"),
    "verifier.json.invalid": ("`{rel}`:不是有效的 JSON({why})", "`{rel}`: not JSON ({why})"),
    "verifier.json.duplicate_key": ("键 `{key}` 出现了两次", "the key `{key}` appears twice"),
    "verifier.json.constant": ("`{name}` 不是 JSON 数值", "`{name}` is not a JSON number"),
    "verifier.json.syntax": (
        "第 {line} 行第 {col} 列有语法错误",
        "syntax error at line {line}, column {col}",
    ),
    "verifier.json.other": ("内容无法解析", "cannot be parsed"),
    "verifier.json.not_canonical": (
        "`{rel}`:不是规范 JSON(键须排序、无空格、无换行)",
        "`{rel}`: not canonical JSON (sorted keys, no spaces, no newline)",
    ),
    "verifier.frame.trailing_newline": (
        "`{rel}`:以换行结尾(抽样框文件末尾不应有换行)",
        "`{rel}`: ends with a newline (a frame file has none)",
    ),
    "verifier.frame.unsorted": (
        "`{rel}`:第 {line} 行(`{code}`)不在第 {before} 行(`{prev}`)之后:未按升序排列或有重复",
        "`{rel}`: line {line} (`{code}`) is not after line {before} (`{prev}`): not sorted "
        "ascending and unique",
    ),
    "verifier.frame.empty_line": ("`{rel}`:第 1 行为空", "`{rel}`: line 1 is empty"),
    "verifier.schema.not_object": (
        "`{path}`:应为对象,实为{got}",
        "`{path}`: expected an object, got {got}",
    ),
    "verifier.schema.missing": ("`{path}`:缺少该字段", "`{path}`: missing"),
    "verifier.schema.unknown": ("`{path}`:未定义的字段", "`{path}`: unknown field"),
    "verifier.schema.hex": (
        "`{path}`:应为 {digits} 位小写十六进制数,实为{got}",
        "`{path}`: expected {digits} lowercase hex digits, got {got}",
    ),
    "verifier.schema.not_list": (
        "`{path}`:应为列表,实为{got}",
        "`{path}`: expected a list, got {got}",
    ),
    "verifier.schema.entries": (
        "`{path}`:应有 {n} 项,实有 {got} 项",
        "`{path}`: expected {n} entries, got {got}",
    ),
    "verifier.schema.more": ("`{path}`:……还有更多问题", "`{path}`: … more problems"),
    "verifier.schema.expected": (
        "`{path}`:应为{wanted},实为{got}",
        "`{path}`: expected {wanted}, got {got}",
    ),
    "verifier.doc.schema": ("`{rel}`:{problems}", "`{rel}`: {problems}"),
    "verifier.doc.format": (
        "`{rel}`:格式为 `{got}`,应为 `{fmt}`",
        "`{rel}`: format `{got}`, expected `{fmt}`",
    ),
    "verifier.doc.algorithm": (
        "`{rel}`:算法为 `{got}`,应为 `{want}`",
        "`{rel}`: algorithm `{got}`, expected `{want}`",
    ),
    "verifier.doc.ok": (
        "`{rel}`:规范的 `{fmt}`,字段齐全、类型正确",
        "`{rel}`: canonical `{fmt}`, every field present and typed",
    ),
    "verifier.field.expected": (
        "`{field}` 为 `{got}`,应为 `{want}`",
        "`{field}` is `{got}`, expected `{want}`",
    ),
    "verifier.beacon.unknown_format": ("未知的随机数格式 `{fmt}`", "unknown beacon format `{fmt}`"),
    "verifier.beacon.empty": ("公开随机数为空", "the beacon is empty"),
    "verifier.beacon.invisible": (
        "公开随机数含控制字符或不可见字符 {char}",
        "the beacon holds a control or invisible character {char}",
    ),
    "verifier.beacon.unclean": (
        "公开随机数过长、首尾有空白或未经 `NFC` 规范化",
        "the beacon is too long, padded or not NFC-normalised",
    ),
    "verifier.beacon.not_format": (
        "`{value}` 不符合格式:{fmt}",
        "`{value}` is not a value of: {fmt}",
    ),
    "verifier.beacon.reds_order": (
        "`{value}`:红球号码未严格升序",
        "`{value}`: the red balls are not strictly ascending",
    ),
    "verifier.beacon.ok": ("`{value}` 符合格式:{fmt}", "`{value}` is a value of: {fmt}"),
    "verifier.rehearsal.no": ("正式抽查", "a real campaign"),
    "verifier.rehearsal.yes": (
        "演练:不是正式抽取(密钥由人提供)",
        "rehearsal — not a real draw (a person supplied the secret)",
    ),
    "verifier.beacon_date.ok": (
        "随机数日期 {date} 晚于公告发布日 {published}",
        "beacon date {date} is after the notice's publication {published}",
    ),
    "verifier.beacon_date.early": (
        "随机数日期 {date} 不晚于公告发布日 {published}:确定密钥时可能已知道该随机数",
        "beacon date {date} is not after the notice's publication {published}: the beacon could "
        "have been known when the secret was fixed",
    ),
    "verifier.beacon_format.ok": ("随机数格式:{fmt}", "beacon format: {fmt}"),
    "verifier.ratio_table.ok": (
        "`ratio_table_sha256` 与比例表一致",
        "`ratio_table_sha256` matches the ratio table",
    ),
    "verifier.ratio_table.sha": (
        "比例表的摘要为 {got},公告写的是 {said}",
        "the ratio table hashes to {got}, the notice says {said}",
    ),
    "verifier.ratio_table.range": (
        "比例超出 1..10000 bp:`{cells}`",
        "ratios outside 1..10000 bp: `{cells}`",
    ),
    "verifier.notice_plans.ok": (
        "{n} 个计划,已排序且无重复;抽取方式:{mode}",
        "{n} plans, sorted and unique; mode: {mode}",
    ),
    "verifier.notice_plans.order": (
        "公告中的计划未排序或有重复",
        "the notice's plans are not sorted and unique",
    ),
    "verifier.notice_seen.ok": (
        "公告与抽取前发布的公告一致",
        "the notice is the one published before the draw",
    ),
    "verifier.notice_seen.differs": (
        "公告的摘要为 {got},不是抽取前发布的 {want}",
        "the notice hashes to {got}, not {want} as published before the draw",
    ),
    "verifier.manifest_notice.ok": (
        "清单指向本公告(年度、编号、摘要)",
        "the manifest names this notice (campaign, id, hash)",
    ),
    "verifier.manifest_notice.differs": (
        "`{field}` 为 `{got}`,公告为 `{want}`",
        "`{field}` is `{got}`, the notice gives `{want}`",
    ),
    "verifier.manifest_plans.ok": ("与公告的 {n} 个计划完全一致", "exactly the notice's {n} plans"),
    "verifier.manifest_plans.missing": ("缺少计划:{plans}", "plans missing: {plans}"),
    "verifier.manifest_plans.extra": (
        "公告中没有的计划:{plans}",
        "plans not in the notice: {plans}",
    ),
    "verifier.manifest_plans.order": ("计划重复或顺序不对", "plans repeated or out of order"),
    "verifier.manifest_entry.pair": (
        "`draw_id` 与 `record_sha256` 须同时给出或同时为空",
        "`draw_id` and `record_sha256` must both be given or both be null",
    ),
    "verifier.manifest_entry.frame": (
        "其抽样框不是抽取前在公告中锚定的那个",
        "its frame is not the one anchored in the notice before the draw",
    ),
    "verifier.manifest_entry.ok": ("文件名与摘要正确", "names and hashes"),
    "verifier.record.not_listed": (
        "计划 {plan} 不在本年度的清单中",
        "plan {plan} is not in the campaign manifest",
    ),
    "verifier.record.none": ("该计划没有有效的抽取", "no draw in force for this plan"),
    "verifier.record_sha256.ok": (
        "`{rel}` 的摘要与清单一致",
        "`{rel}` hashes as the manifest says",
    ),
    "verifier.record_sha256.differs": (
        "`{rel}` 的摘要为 {got},清单写的是 {said}",
        "`{rel}` hashes to {got}, the manifest says {said}",
    ),
    "verifier.record_fields.ok": (
        "计划、年度、抽取方式、承诺和文件名与公告及清单一致",
        "plan, campaign, mode, commitment and file names agree with the notice and the manifest",
    ),
    "verifier.record_fields.differs": (
        "`{field}` 为 `{got}`,应为 `{want}`",
        "`{field}` is `{got}`, expected `{want}`",
    ),
    "verifier.commitment.ok": (
        "sha256(密钥) 等于抽取前公布的种子承诺",
        "sha256(secret) equals the seed commitment published before the draw",
    ),
    "verifier.commitment.differs": (
        "sha256(密钥) 为 {got},承诺为 {said}",
        "sha256(secret) is {got}, the commitment is {said}",
    ),
    "verifier.seed.ok": ("种子等于 sha256(密钥|公开随机数)", "seed equals sha256(secret|beacon)"),
    "verifier.seed.differs": (
        "sha256(密钥|公开随机数) 为 {got},记录写的是 {said}",
        "sha256(secret|beacon) is {got}, the record says {said}",
    ),
    "verifier.prn_seed.ok": (
        "`prn_seed` 符合抽取方式:{mode}",
        "`prn_seed` follows the mode: {mode}",
    ),
    "verifier.prn_seed.differs": (
        "`prn_seed` 为 `{got}`,按抽取方式({mode})应为 `{want}`",
        "`prn_seed` is `{got}`, the mode ({mode}) gives `{want}`",
    ),
    "verifier.committed_at.ok": (
        "{committed} 提交,不早于随机数日期 {date}",
        "committed {committed}, not before the beacon date {date}",
    ),
    "verifier.committed_at.early": (
        "{committed} 提交,早于随机数日期 {date}",
        "committed {committed}, before the beacon date {date}",
    ),
    "verifier.frame_anchor.ok": (
        "记录中的抽样框就是抽取前在公告中锚定的那个",
        "the record's frame is the one anchored in the notice before the draw",
    ),
    "verifier.frame_anchor.differs": (
        "记录中抽样框的规模或摘要与{where}不同(抽取前锚定的抽样框)",
        "the record's frame size/sha256 differ from {where} (the frame anchored before the draw)",
    ),
    "verifier.frame_anchor.notice": ("公告", "the notice"),
    "verifier.frame_anchor.manifest": ("清单", "the manifest"),
    "verifier.frame_anchor.notice_manifest": ("公告和清单", "the notice and the manifest"),
    "verifier.frame_sha256.ok": ("`{rel}` 的摘要与锚定的一致", "`{rel}` hashes as anchored"),
    "verifier.frame_sha256.differs": (
        "`{rel}` 的摘要为 {got},锚定的是 {said}",
        "`{rel}` hashes to {got}, anchored as {said}",
    ),
    "verifier.frame_size.ok": ("`{rel}` 中有 {n:,} 个代码", "{n:,} codes in `{rel}`"),
    "verifier.frame_size.differs": (
        "`{rel}` 中有 {n:,} 个代码,记录写的是 {said:,}",
        "{n:,} codes in `{rel}`, the record says {said:,}",
    ),
    "verifier.strata.ok": (
        "四层:比例即公告的比例表,抽取数量 = `min(N, ceil(N × bp / 10000))`,合计一致",
        "four strata: the notice's ratios, quotas = `min(N, ceil(N × bp / 10000))`, sums agree",
    ),
    "verifier.strata.ratio": (
        "第 {i} 层:比例 {bp} bp,公告的比例表为 {want} bp",
        "stratum {i}: ratio {bp} bp, the notice's ratio table gives {want} bp",
    ),
    "verifier.strata.quota": (
        "第 {i} 层:抽取数量 {quota},但 `min({size}, ceil({size} × {bp} / 10000))` = {want}",
        "stratum {i}: quota {quota}, but `min({size}, ceil({size} × {bp} / 10000))` = {want}",
    ),
    "verifier.strata.sizes": (
        "各层规模合计 {got},抽样框有 {said}",
        "the strata's sizes add up to {got}, the frame has {said}",
    ),
    "verifier.strata.quotas": (
        "各层抽取数量合计 {got},记录写的是 {said}",
        "the strata's quotas add up to {got}, the record says {said}",
    ),
    "verifier.selection.ok": (
        "{n:,} 个互不相同的抽样框代码,按 (u, c) 排序",
        "{n:,} distinct codes of the frame, in (u, c) order",
    ),
    "verifier.selection.count": (
        "抽中 {n} 个代码,抽取数量为 {quota}",
        "{n} codes selected, quota {quota}",
    ),
    "verifier.selection.twice": ("有代码被抽中两次", "a code is selected twice"),
    "verifier.selection.outside": ("不在抽样框中:{codes}", "not in the frame: {codes}"),
    "verifier.selection.order": (
        "第 {at} 位未按 (u, c) 排序({code} 排在 {prev} 之后)",
        "not in (u, c) order at position {at} ({code} after {prev})",
    ),
    "verifier.selection_strata.ok": (
        "存在一种按公布规模的分层,使每层抽中的都是 u 最小的代码(具体如何分层由审计方核验)",
        "the selection is each stratum's smallest u for some split of the frame into strata of "
        "the published sizes (which split is the auditor's check)",
    ),
    "verifier.selection.no_split": (
        "任何按公布规模的分层都不能使每层抽中 u 最小的代码:有代码越过 u 更小的代码被抽中",
        "no split of the frame into strata of the published sizes makes each stratum's selection "
        "its smallest u: a code was drawn over one with a smaller u",
    ),
    "verifier.auditor_manifest.ok": (
        "审计包清单的摘要与公示清单中的 `auditor_manifest_sha256` 一致",
        "the auditor manifest hashes to the public manifest's `auditor_manifest_sha256`",
    ),
    "verifier.auditor_manifest.differs": (
        "`{rel}` 的摘要为 {got},公示清单写的是 {said}",
        "`{rel}` hashes to {got}, the public manifest says {said}",
    ),
    "verifier.auditor_files.ok": (
        "{n} 个审计文件的摘要均与清单一致",
        "{n} auditor files hash to their entries",
    ),
    "verifier.auditor_files.differs": ("`{rel}` 与清单条目不符", "`{rel}` differs from its entry"),
    "verifier.auditor_record.not_listed": (
        "`{rel}` 不在审计包清单中",
        "`{rel}` is not in the auditor manifest",
    ),
    "verifier.auditor_binding.ok": (
        "审计记录与公示记录及公告绑定",
        "the auditor record is bound to the public record and the notice",
    ),
    "verifier.auditor_binding.field": (
        "`{field}` 与公示记录不同",
        "`{field}` differs from the public record",
    ),
    "verifier.auditor_binding.record": (
        "`public_record_sha256` 不是公示记录的摘要",
        "`public_record_sha256` is not the public record's hash",
    ),
    "verifier.auditor_binding.digest": (
        "`tier_frames_digest` 与公告不同",
        "`tier_frames_digest` differs from the notice's",
    ),
    "verifier.auditor_strata.tiers": (
        "分层为 `{got}`,应为 `{want}`",
        "strata tiers `{got}`, expected `{want}`",
    ),
    "verifier.tier_digest.ok": (
        "分层抽样框与盐值重现了抽取前在公告中锚定的摘要",
        "the tier frames and salt reproduce the digest anchored in the notice before the draw",
    ),
    "verifier.tier_digest.differs": (
        "分层抽样框与盐值得出 {got},公告锚定的是 {said}",
        "the tier frames and salt give {got}, the notice anchored {said}",
    ),
    "verifier.tier_partition.ok": (
        "四个分层抽样框互不重叠,合起来就是公示的整体抽样框",
        "the four tier frames are disjoint and merge into the public whole frame",
    ),
    "verifier.tier_partition.differs": (
        "分层抽样框合起来不是公示的整体抽样框(或有重叠)",
        "the tier frames do not merge into the public whole frame (or overlap)",
    ),
    "verifier.recompute.ok": (
        "{of:,} 个中的 {n:,} 个,逐位重算一致",
        "{n:,} of {of:,} recomputed bit for bit",
    ),
    "verifier.recompute.frame": (
        "`frame_size`/`frame_sha256` 与分层抽样框文件不符",
        "`frame_size`/`frame_sha256` do not match the tier frame file",
    ),
    "verifier.recompute.ratio": (
        "比例 {bp} bp 不是公告的比例",
        "ratio {bp} bp is not the notice's",
    ),
    "verifier.recompute.quota": (
        "抽取数量 {quota} 不能由规模和比例得出",
        "quota {quota} does not follow from size and ratio",
    ),
    "verifier.recompute.public": (
        "公示记录中该层的数字不同",
        "the public record's numbers for this stratum differ",
    ),
    "verifier.recompute.selection": (
        "抽中名单与重算结果在第 {at} 位不同(给出 {given} 个,重算 {drawn} 个)",
        "the selection differs from the recomputed one at position {at} ({given} given, {drawn} "
        "drawn)",
    ),
    "verifier.public_selection.ok": (
        "公示的抽中名单就是各层抽中名单按 (u, c) 合并的结果",
        "the public selection is the strata's selections in (u, c) order",
    ),
    "verifier.public_selection.differs": (
        "公示的抽中名单不是各层重算名单按 (u, c) 合并的结果",
        "the public selection is not the strata's recomputed selections in (u, c) order",
    ),
    "verifier.legacy.not_record": (
        "不是抽取记录:应为含分层列表的对象",
        "not a draw record: an object with a strata list",
    ),
    "verifier.legacy.mode": ("{mode}", "{mode}"),
    "verifier.legacy.commitment_ok": (
        "sha256(密钥) 等于种子承诺",
        "sha256(secret) equals the seed commitment",
    ),
    "verifier.legacy.commitment_differs": (
        "sha256(密钥) 为 {got},记录写的是 {said}",
        "sha256(secret) is {got}, the record says {said}",
    ),
    "verifier.legacy.seed_differs": (
        "sha256(密钥|公开随机数) 为 {got},记录写的是 {said}",
        "sha256(secret|beacon) is {got}, the record says {said}",
    ),
    "verifier.legacy.strata": ("{n} 层:{tiers}", "{n} strata: {tiers}"),
    "verifier.legacy.quota": (
        "抽取数量 {quota},`min({size}, ceil({size} × {bp} / 10000))` = {want}",
        "quota {quota}, `min({size}, ceil({size} × {bp} / 10000))` = {want}",
    ),
    "verifier.legacy.no_frame": ("未检查:缺少抽样框文件", "not checked: no frame file"),
    "verifier.legacy.frame_ok": ("`{rel}`:摘要一致", "`{rel}`: sha256 matches"),
    "verifier.legacy.frame_differs": (
        "`{rel}`:摘要为 {got},记录写的是 {said}",
        "`{rel}`: sha256 is {got}, the record says {said}",
    ),
    "verifier.legacy.frame_size": (
        "`{rel}` 中有 {n} 个代码,记录写的是 {said}",
        "{n} codes in `{rel}`, the record says {said}",
    ),
    "verifier.legacy.selection_ok": (
        "{n} 个抽中代码一致,顺序一致",
        "{n} drawn codes match, in order",
    ),
    "verifier.legacy.not_drawn": ("公示了但未被抽中:{codes}", "published but not drawn: {codes}"),
    "verifier.legacy.not_published": ("抽中了但未公示:{codes}", "drawn but not published: {codes}"),
    "verifier.legacy.other_order": ("代码相同,顺序不同", "same codes, other order"),
    "verifier.unlisted_files": (
        "不在本年度清单中的文件:`{files}`",
        "files not in the campaign manifest: `{files}`",
    ),
    "verifier.path.what": (
        "`{target}`:请给出公示包文件夹或其中的一个抽取记录",
        "`{target}`: give the package folder or one of its draw records",
    ),
    "verifier.path.missing": (
        "`{target}`:文件或文件夹不存在",
        "`{target}`: no such file or folder",
    ),
    "verifier.path.auditor": (
        "`{target}`:审计包必须是文件夹",
        "`{target}`: the auditor package must be a folder",
    ),
    # the Verify page's own reasons (core/verification.py)
    "verifier.no_draw": ("没有抽取 `{draw_id}`", "no draw `{draw_id}`"),
    "verifier.no_notice": ("{year} 年度没有承诺公告", "no commitment notice for {year}"),
    "verifier.zip.bad": ("`{name}`:不是压缩包", "`{name}`: not a zip file"),
    "verifier.zip.big": (
        "`{name}`:文件过多或过大,不是抽取公示包",
        "`{name}`: too many or too large files for a draw package",
    ),
    "verifier.zip.escape": (
        "`{name}`:其中有文件的路径超出了包",
        "`{name}`: a member's path leaves the package",
    ),
    "verifier.zip.member": ("`{name}`:其中有文件无法读取", "`{name}`: a member cannot be read"),
    "verifier.no_notice_file": (
        "缺少承诺公告 `commitment.json`:请上传公示包压缩文件,"
        "或上传公告、年度清单、抽取记录及其抽样框文件",
        "no `commitment.json`: upload the package zip, or the notice, the campaign manifest, the "
        "record and its frame file",
    ),
}

# the assignment verifier (core/verify_assignment_standalone.py TEXT keys), as the Assignments
# page shows its recomputation of a run
MESSAGES.update(
    {
        "assignverifier.record_sha256": (
            "选派记录的摘要为 {got},与应有的 {want} 不同",
            "the record hashes to {got}, not the expected {want}",
        ),
        "assignverifier.algorithm": (
            "算法 `{got}` 不是 `{want}`",
            "algorithm `{got}` is not `{want}`",
        ),
        "assignverifier.row": (
            "{table}第 {n} 行:复算得 `{mine}`,记录为 `{theirs}`",
            "{table} row {n}: recomputed `{mine}`, the record says `{theirs}`",
        ),
        "assignverifier.rows": (
            "{table}:复算得 {mine} 行,记录有 {theirs} 行",
            "{table}: recomputed {mine} rows, the record has {theirs}",
        ),
        "assignverifier.ok": (
            "一致:{year} 年度 {visits:,} 次检查,{staffed:,} 次已选派({assignments:,} 人次),"
            "{unstaffed:,} 次未能选派;记录 SHA-256 {sha}",
            "Match: {year}, {visits:,} visits, {staffed:,} staffed with {assignments:,} "
            "assignments, {unstaffed:,} unstaffed; record SHA-256 {sha}",
        ),
        "assignverifier.unreadable": ("选派记录无法读取", "the assignment record cannot be read"),
        "assignverifier.table.assignments": ("选派结果", "assignments"),
        "assignverifier.table.unstaffed": ("未能选派的部门", "unstaffed departments"),
    }
)
