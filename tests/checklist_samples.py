"""A small valid checklist as TOML text, for tests to mutate."""

VALID = """\
id = "sample"
title = "样例检查表"
version = "1.0"
total = 10
scoring_note = "分值为测试设定。"

[[sources]]
code = "001"
file = "001_a9019bd0bd482cac.txt"
title = "样例来源"

[[grades]]
name = "优秀"
min = 9
max = 10
[[grades]]
name = "合格"
min = 6
max = 9
[[grades]]
name = "不合格"
min = 0
max = 6

[[sections]]
id = "1"
title = "第一部分"

[[sections.criteria]]
id = "1.1"
title = "典型案例报送"
requirement = "每半年报送1篇以上典型案例"
guide = "按要求报送得满分"
max = 6
methods = ["查阅台账"]
evidence = ["报送记录"]
source = "001 五.20"
[[sections.criteria.deductions]]
reason = "未报送"
points = 4
[[sections.criteria.deductions]]
reason = "类型单一"
points = 3
[sections.criteria.target]
min = 2
unit = "篇"
period = "全年"

[[sections.criteria]]
id = "1.2"
title = "组织领导"
requirement = "成立领导小组"
guide = "有则满分"
max = 4
methods = ["听取汇报", "实地查看"]
source = "001 一.1"
veto = true
"""
