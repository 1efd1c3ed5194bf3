/**
 * `reimburse claim new`: a claim file to fill in, every field explained in
 * Chinese and English. Unedited it is a valid claim that settles with the
 * shipped rules (a test runs `claim new | calc -`): the seed referral, 常德 →
 * 武汉, (11,100 − 1,100) × (85% − 5 points) = 8,000 from the fund.
 */
export const CLAIM_TEMPLATE = `# 医保异地就医报销申请 · A cross-province medical-insurance claim (reimburse, format 1)
# 填写后运行 / fill it in, then run:  reimburse calc claim.yaml
# 金额单位为元，最多两位小数，不能为负 · Amounts are yuan (元), at most 2 decimals, never negative.
# 不认识的字段会报错 · An unknown key is an error (with a did-you-mean).
# 编辑器补全 / editor completion: reimburse claim schema > claim.schema.json, then make this the first line:
#   # yaml-language-server: $schema=./claim.schema.json

# 格式版本（可选）· Claim format version (optional): 1
format: 1

# 编号（可选）：原样出现在结果中 · Optional id, echoed in the result ("007" stays "007").
id: claim-0001

# 结算日期 YYYY-MM-DD：决定适用哪一版政策 · Settlement date: picks the rule versions in force.
date: 2025-03-09

# 参保人 · The insured person
insured:
  # 人员编号（可选）：batch 按此累计全年 · Optional person id: batch adds up each person's year by it.
  # id: HN-0001
  # 参保地：6 位行政区划代码、名称或拼音 · Where insured: a 6-digit division code, a name (常德市, 常德) or pinyin (changde).
  region: 常德市
  # 险种 · Scheme: employee (职工医保) | resident (城乡居民医保)
  scheme: employee
  # 是否退休（仅职工）· Retired (employees only): true | false
  retired: false
  # 特殊人群（可选）：大病保险按其标准 · Optional group with its own 大病保险 figures:
  #   extreme-poverty (特困人员) | subsistence (低保对象) | relapse-poverty (返贫致贫人口)
  # group: subsistence

# 就医 · The treatment
treatment:
  # 就医地：代码、名称或拼音 · Where treated: a code, a name (武汉市, 武汉) or pinyin.
  region: 武汉市
  # 医院名称（可选）· Optional hospital name, echoed in the result.
  # hospital: 华中科技大学同济医学院附属协和医院
  # 医院等级 · Hospital level: community | 1 | 2 | 3 | provincial, or 基层 | 一级 | 二级 | 三级 | 省部属
  level: 3
  # 类别 · Kind: inpatient (住院) | outpatient (普通门诊) | chronic (门诊慢特病: give disease too)
  kind: inpatient
  # 门诊慢特病病种（仅 chronic）：id 或中文名 · Disease, for chronic only: an id or its Chinese name, e.g. hypertension (高血压)
  # disease: 高血压
  # 急诊抢救 · An emergency (急诊抢救): true | false
  emergency: false

# 备案 · Filing (备案): long-term (异地长期居住) | referral (转诊) | emergency (急诊) | temporary (临时外出) | none (未备案)
filing: referral

# 按假设路径结算（可选，比较用）· Optional what-if route (the result warns it was set by hand):
#   local | in-province | zone | long-term | referral | emergency | temporary | unfiled
# route: zone

# 费用（元）· Costs, yuan (元)
costs:
  # 甲类 · Class A (甲类): fully in policy
  classA: 11100
  # 乙类 · Class B (乙类): in policy after the 乙类先行自付 share
  classB: 0
  # 丙类/自费 · Excluded (丙类, 自费): paid by the person
  excluded: 0
  # 票据上的乙类先行自付合计（可选，不超过乙类）· Optional: the bill's 乙类先行自付 total, at most classB
  # prepay: 0
  # 总费用（可选，须等于三者之和）· Optional total: must equal classA + classB + excluded
  # total: 11100

# 或者按明细代替 costs（二者只填其一）· Or, instead of costs (one or the other), the bill's lines:
# items:
#   - {name: 床位费, class: A, amount: 600}              # class: A | B | excluded; amount in yuan
#   - {name: 乙类药品, class: B, amount: 800, prepay: 80}  # prepay: the line's 乙类先行自付 (class B only)

# 本年度已发生（可选，默认 0）· The year so far (optional, default 0), yuan; admissions is a count.
# 可直接用上一笔结果的 ledger · The previous claim's result "ledger" has this shape.
history:
  # 住院统筹基金已支付 · Inpatient: paid by the fund this year
  fundPaid: 0
  # 本年住院次数（此前）· Inpatient admissions earlier this year
  admissions: 0
  # 住院起付线已自付 · Inpatient: deductible paid this year
  deductiblePaid: 0
  # 普通门诊 · Outpatient account
  outpatient: {fundPaid: 0, deductiblePaid: 0}
  # 门诊慢特病 · Chronic-disease account
  chronic: {fundPaid: 0, deductiblePaid: 0}
  # 大病保险：已计入的合规费用、已支付 · 大病保险 (critical illness): the base counted, and paid, this year
  criticalIllness: {base: 0, paid: 0}
`;
