"""Deterministic benchmark data: marketplace items (JSONL) and a compliance term list.

    python bench/corpus.py [--items 100000] [--seed 20240601] [--out bench/out]

Writes `items.jsonl` (listings, creators' captions and live-transcript snippets, buyer-seller
chat messages; about 15% carry a violation) and `terms.txt` (1,500 Chinese advertising and
compliance terms for the Aho-Corasick floor). The same seed always gives the same bytes, and a
manifest lets `ensure()` skip regeneration when nothing changed.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
DEFAULT_ITEMS = 100_000
DEFAULT_TERMS = 1_500
DEFAULT_SEED = 20240601
VIOLATION_SHARE = 0.15
MIN_LEN, MAX_LEN = 20, 200


# --------------------------------------------------------------------------------------------
# Catalogue: per category, products, brands, selling points, specs and a price range.


@dataclass(frozen=True)
class Cat:
    products: tuple[str, ...]
    brands: tuple[str, ...]
    points: tuple[str, ...]
    specs: tuple[str, ...]
    price: tuple[float, float]


def _t(text: str) -> tuple[str, ...]:
    return tuple(text.split())


CATALOGUE: dict[str, Cat] = {
    "cosmetics": Cat(
        _t(
            "精华液 面霜 爽肤水 保湿乳液 氨基酸洗面奶 补水面膜 防晒霜 眼霜 口红 粉底液 气垫BB霜 卸妆油 身体乳 护手霜 睫毛膏 散粉 眉笔 唇釉"
        ),
        _t(
            "珀莱雅 薇诺娜 自然堂 百雀羚 花西子 完美日记 欧莱雅 雅诗兰黛 兰蔻 资生堂 玉兰油 理肤泉 科颜氏 毛戈平"
        ),
        _t(
            "补水保湿 提亮肤色 清爽不油腻 温和不刺激 敏感肌可用 持久不脱妆 质地轻薄 好推开 吸收快 淡淡香味 不拔干 控油持妆 成膜快 防水防汗 无酒精配方 孕妇慎用"
        ),
        _t("30ml 50ml 100ml 120g 2支装 5片装 礼盒装 旅行装 正装+小样"),
        (39, 699),
    ),
    "food": Cat(
        _t(
            "每日坚果 牛肉干 螺蛳粉 手工挂面 五常大米 滇红红茶 明前龙井 普洱茶饼 土蜂蜜 辣条 苏打饼干 流心月饼 蛋黄肉粽 麻辣小龙虾尾 手撕面包 黑芝麻丸 燕麦片 老干妈"
        ),
        _t("三只松鼠 良品铺子 百草味 好欢螺 五芳斋 来伊份 盼盼 卫龙 桂格 西麦 稻香村 农夫山泉"),
        _t(
            "独立小包装 香辣可口 口感酥脆 产地直发 新日期 配料干净 酸甜开胃 办公室零食 开袋即食 冲泡方便 原汁原味 甜而不腻 软糯香甜 低温烘焙 非油炸"
        ),
        _t("500g 1kg 250g*2袋 30包 整箱24瓶 5斤装 礼盒装 家庭装 试吃装"),
        (9.9, 299),
    ),
    "fresh_produce": Cat(
        _t(
            "赣南脐橙 阳光玫瑰葡萄 烟台红富士苹果 海南贵妃芒 丹东草莓 智利车厘子 徐香猕猴桃 阳山水蜜桃 妃子笑荔枝 阳澄湖大闸蟹 盱眙小龙虾 农家土鸡蛋 云南蓝莓 库尔勒香梨 麒麟西瓜 东北黏玉米"
        ),
        _t("果园直供 农家自产 百果园 鲜丰水果 佳沛 褚橙"),
        _t(
            "现摘现发 坏果包赔 顺丰冷链 果园直发 个大皮薄 汁多味甜 自然成熟 不打蜡 产地一手货源 新鲜采摘 冷链到家 当季鲜果 脆甜多汁"
        ),
        _t("5斤装 10斤装 净重4.5斤 单果80mm+ 3斤大果 2kg 礼盒12枚 30枚装 整箱"),
        (19.9, 399),
    ),
    "supplements": Cat(
        _t(
            "深海鱼油软胶囊 维生素C咀嚼片 复合维生素片 液体钙 益生菌粉 乳清蛋白粉 叶黄素酯软糖 胶原蛋白肽饮 辅酶Q10胶囊 褪黑素软糖 氨糖软骨素 维生素D3滴剂 蛋白质粉 B族维生素片"
        ),
        _t("汤臣倍健 善存 Swisse 钙尔奇 纽崔莱 健合 养生堂 GNC 自然之宝 诺特兰德"),
        _t(
            "每日一粒 小粒好吞咽 蓝帽子认证 保健食品批准文号可查 独立包装 方便携带 柠檬口味 无蔗糖 成人适用 早晚各一次 搭配饮食更佳 进口原料"
        ),
        _t("60粒 90粒 120粒 30袋 100片 2瓶装 3个月量 900g"),
        (49, 599),
    ),
    "apparel": Cat(
        _t(
            "纯棉T恤 碎花连衣裙 直筒牛仔裤 白鸭绒羽绒服 连帽卫衣 商务衬衫 西装外套 针织开衫 三合一冲锋衣 打底衫 阔腿裤 半身裙 polo衫 防晒衣 运动套装"
        ),
        _t("优衣库 波司登 李宁 太平鸟 森马 海澜之家 以纯 热风 江南布衣 MO&Co"),
        _t(
            "宽松显瘦 透气吸汗 不起球 加厚保暖 垂感好 弹力舒适 不掉色 百搭基础款 做工细致 面料亲肤 机洗不变形 版型挺括 男女同款 上身效果好 拍前请看详情页尺码表"
        ),
        _t("S-XXL 均码 M/L/XL 160/84A 大码 多色可选 黑白两色"),
        (39, 899),
    ),
    "footwear": Cat(
        _t(
            "跑步鞋 小白板鞋 马丁靴 帆布鞋 洞洞拖鞋 老爹鞋 篮球鞋 乐福鞋 雪地靴 徒步鞋 凉鞋 儿童运动鞋"
        ),
        _t("安踏 李宁 特步 回力 耐克 阿迪达斯 新百伦 鸿星尔克 骆驼 斯凯奇"),
        _t(
            "轻便透气 防滑耐磨 软底不累脚 回弹缓震 鞋面好打理 宽楦设计 内增高 加绒保暖 一脚蹬 包裹性好 走路不磨脚 拍前请看详情页尺码表"
        ),
        _t("36-44码 35-40码 男款 女款 偏大半码 标准码"),
        (59, 1299),
    ),
    "luxury": Cat(
        _t("手提包 双肩包 长款钱包 机械腕表 羊绒围巾 皮带 项链 太阳镜 托特包 斜挎包 卡包 手镯"),
        _t("Gucci LV Chanel Prada Hermes Dior Burberry Coach Rolex Cartier Balenciaga Fendi"),
        _t(
            "专柜购入 附购买凭证 九五新 全套配件 支持第三方鉴定 小票齐全 原盒原袋 保养得当 无明显划痕 可验证编码 海外购入"
        ),
        _t("中号 小号 经典款 限量款 22cm 25cm 40mm表盘 均码"),
        (1200, 38000),
    ),
    "electronics": Cat(
        _t(
            "蓝牙耳机 充电宝 手机壳 快充数据线 智能手表 平板电脑 机械键盘 无线鼠标 移动硬盘 扫地机器人 投影仪 电动牙刷 吹风机 蓝牙音箱 路由器"
        ),
        _t("小米 华为 绿联 倍思 罗技 Anker 漫步者 飞利浦 戴森 索尼 荣耀 联想"),
        _t(
            "支持快充 主动降噪 续航30小时 国行正品 全国联保 一年质保 低延迟 轻薄便携 兼容多机型 自动回充 4K高清 双频WiFi Type-C接口 磁吸充电"
        ),
        _t("10000mAh 20000mAh 1m 2m 128GB 256GB 1TB 白色 黑色 标准版 Pro版"),
        (19, 4999),
    ),
    "home": Cat(
        _t(
            "四件套 乳胶枕 收纳箱 保温杯 不粘锅 空气炸锅 旋转拖把 香薰蜡烛 抱枕 厨房置物架 加厚垃圾袋 遮光窗帘 记忆棉床垫 电热水壶 衣架 洗碗海绵"
        ),
        _t("罗莱 水星家纺 苏泊尔 九阳 美的 膳魔师 乐扣乐扣 天堂伞 名创优品 网易严选"),
        _t(
            "加厚耐用 可折叠 易清洗 大容量 免打孔安装 食品级材质 不串味 静音设计 节省空间 颜值高 耐高温 防滑底座 可机洗 多尺寸可选"
        ),
        _t("1.5m床 1.8m床 500ml 5L 3个装 100只 2层 40*40cm 一对装"),
        (9.9, 999),
    ),
    "baby": Cat(
        _t(
            "纸尿裤 婴儿湿巾 宽口径奶瓶 婴儿推车 儿童安全座椅 辅食机 爬行垫 婴儿连体衣 婴儿配方奶粉 牙胶 儿童牙刷 口水巾 吸管杯"
        ),
        _t("帮宝适 花王 好奇 贝亲 飞鹤 好孩子 爱他美 babycare 全棉时代 可优比"),
        _t(
            "柔软亲肤 超薄透气 防胀气设计 不含荧光剂 A类标准 可高温消毒 一键收车 双向推行 锁水不回渗 母婴店同款 新生儿可用 大月龄宝宝适用"
        ),
        _t("NB码 S码 M码 L码 XL码 80抽*10包 240ml 900g 0-6个月 6-12个月"),
        (19, 2999),
    ),
    "drugs": Cat(
        _t(
            "布洛芬缓释胶囊 感冒灵颗粒 连花清瘟胶囊 氯雷他定片 蒙脱石散 维生素B族片 板蓝根颗粒 复方甘草片 藿香正气水 云南白药气雾剂 双氯芬酸钠凝胶 硝苯地平缓释片"
        ),
        _t("芬必得 999 以岭 开瑞坦 思密达 太极 云南白药 扶他林"),
        _t(
            "用于缓解轻至中度疼痛 用于普通感冒引起的头痛发热 用于过敏性鼻炎 用于成人及儿童急慢性腹泻 请仔细阅读说明书 请按说明书或在药师指导下使用 OTC甲类 处方药凭处方购买 孕妇及哺乳期妇女慎用 如症状未缓解请咨询医师"
        ),
        _t("10粒 20粒 24片 10袋 6袋 10支 1瓶 2盒装"),
        (8, 198),
    ),
    "medical_devices": Cat(
        _t(
            "电子血压计 血糖仪 额温枪 医用外科口罩 家用制氧机 助听器 家用雾化器 医用护腰 指夹式血氧仪 医用冷敷贴 拐杖 轮椅"
        ),
        _t("欧姆龙 鱼跃 三诺 可孚 稳健医疗 海氏海诺 西门子"),
        _t(
            "械字号 注册证编号可查 适用于高血压人群日常监测 一键测量 大屏显示 语音播报 适用于雾化治疗 医用级材质 一次性使用 灭菌包装 请在医师指导下使用 操作简单 老人也会用"
        ),
        _t("50只装 10只装 1台 50片试纸 5L 标准版 家用款"),
        (12, 3999),
    ),
    "other": Cat(
        _t(
            "多肉绿植 全价猫粮 文具套装 碳素鱼竿 瑜伽垫 汽车脚垫 花卉种子 豆腐猫砂 绘本 拼图 帐篷 跳绳 宠物牵引绳 钢笔 台历"
        ),
        _t("皇家 得力 晨光 迪卡侬 麦富迪 网易严选 乐高 小熊 卡乐比"),
        _t(
            "新手友好 易上手 安全无毒检测 包装严实 送配件 适合送礼 耐磨耐用 多种规格 颜色可选 附使用教程 售后无忧"
        ),
        _t("1套 2kg 10L 6mm 100片 3盆 一盒 大号 小号"),
        (5, 799),
    ),
}
CATEGORIES = tuple(CATALOGUE)
CATEGORY_WEIGHTS = (14, 12, 10, 7, 13, 7, 4, 11, 10, 5, 2, 2, 3)

PROMOS = _t(
    "限时秒杀 新品上市 官方旗舰 买一送一 包邮 现货速发 年货节 双11预售 第二件半价 618大促 直播专享 会员价 爆款 今日特价 店长推荐 回购榜"
)
SERVICE = _t(
    "支持七天无理由退货 下单48小时内发货 顺丰包邮偏远地区除外 收到有问题请联系在线客服 产品符合国家标准 图片均为实物拍摄颜色以收到为准 第一次购买送小样 最近上新库存有限 赠运费险 支持微信支付和支付宝 全国多仓就近发货 破损包赔 开具电子发票 最后一天活动价 假一赔十 一件代发 下单请备注规格"
)
CITIES = _t("北京 上海 广州 深圳 杭州 成都 武汉 西安 南京 重庆 长沙 郑州 苏州 青岛 厦门 昆明")
DISTRICTS = _t(
    "朝阳区 浦东新区 天河区 南山区 西湖区 武侯区 江汉区 雁塔区 鼓楼区 渝中区 岳麓区 金水区"
)
SURNAMES = _t("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 高 罗")
HANDLE_WORDS = _t("shop lucky mm hao tt baby meimei sale vip kk xiao da yy an haha")

# Violation wording, by violation kind (the slot {x} gets a product, handle, number ...).
ABSOLUTE = _t(
    "全网最低价 销量第一 行业领先 顶级品质 国家级配方 史上最低价 全网最便宜 No.1 最好用 全球第一 独一无二 最高端 最受欢迎 销量冠军 第一品牌 TOP1 绝无仅有 最佳选择 世界级工艺 万能 最顶级 全国销量第一 最•好•用 Ｎｏ．１ 最佳 王者品质 极致体验 最具性价比"
)
MEDICAL = _t(
    "有效治疗失眠 降血压降血脂 根治脚气 抗癌防癌 调理内分泌 消炎杀菌 专治鼻炎 缓解关节炎疼痛 治好了我的湿疹 预防糖尿病 活血化瘀 清热解毒 软化血管 治疗痛风 改善三高 告别便秘 远离高血压 修复受损细胞 增强免疫系统防癌 补肾壮阳 治脱发 治近视 溶解血栓"
)
EFFICACY = _t(
    "无效退款 7天见效 100%有效 立竿见影 永不反弹 一抹就白 三天瘦10斤 无副作用 零风险 保证有效 一次根治 躺着也能瘦 当天见效 无效全额退款 28天淡斑 包你变白 彻底根除 绝对安全 一个月长高5cm 百分百安全"
)
COUNTERFEIT = _t(
    "高仿 顶级复刻 1:1做工 专柜品质 原单尾货 莆田纯原 A货 精仿 一比一还原 大牌同款 能过验 外贸原单 复刻版 同厂货源 公司级 超A货 仿大牌 镜面级"
)
PROHIBITED = _t(
    "针孔摄像头 防狼喷雾 电子烟 代开发票 仿真枪 十字弩 催情水 窃听器 管制刀具 甩棍 电击棍 假证 银行卡四件套 游戏外挂 象牙手镯 犀牛角杯 烟弹 笑气"
)
SOB = (
    "家里老人生病住院了，{x}全烂在地里，求求大家帮帮忙，下单买点吧",
    "果农大叔含泪卖{x}，滞销了没人要，家人们帮帮忙拍一单",
    "厂子快倒闭了工资发不出，这批{x}成本价甩卖，求大家支持一下",
    "孩子白血病等着手术费，我只能卖{x}，好心人帮帮我，下单就是帮我",
    "今年冰雹颗粒无收，仓库里{x}压在手里，拜托大家帮一把买一点",
)
DIVERSION = (
    "加微信{h}",
    "想要更便宜的加V {h}",
    "vx：{h}",
    "+V {h} 私聊给你内部价",
    "私聊给你内部价，加我qq {q}",
    "想要的咸鱼见，搜{h}",
    "加薇信 {h} 私聊",
    "拍之前先加我微信号{h}，走微信交易更便宜",
    "下单扫码转账，不走平台，给你打八折",
    "主页有联系方式，私下交易包邮",
    "进群领券，粉丝群号{q}",
    "wx {h} 拉你进群",
)
PII = (
    "电话{p}",
    "有事打我手机{p}",
    "联系人：{n}先生 {p}",
    "收货人{n}女士，手机{p}",
    "直接打{p}找{n}经理订货",
)
VIOLATION_KINDS: tuple[tuple[str, int], ...] = (
    ("absolute", 28),
    ("diversion", 20),
    ("medical", 14),
    ("efficacy", 12),
    ("counterfeit", 9),
    ("pii", 8),
    ("prohibited", 5),
    ("sob", 4),
)

# Live-stream and short-video captions; {p} product, {b} brand, {a} selling point, {n} number.
LIVE = (
    "家人们，今天给大家带来的是{b}{p}，{a}，直播间福利价{n}元",
    "宝宝们看过来，{p}今天只有{k}单，{a}，3、2、1上链接",
    "这款{p}我自己用了{m}个月了，{a}，真心推荐给大家",
    "点击下方小黄车{k}号链接，{p}今天拍一发二",
    "主播今天给大家谈到了{n}元的价格，{b}{p}，{a}",
    "刚进直播间的宝宝点个关注，下一个讲{p}，{a}",
    "姐妹们这个{p}真的绝了，{a}，库存不多了",
    "没抢到的宝宝别着急，{p}马上给大家补{k}单",
    "#好物分享 #{c}推荐 {b}{p}，{a}",
    "今天的{p}是品牌方直供，{a}，{s}",
    "我们家{p}都是{a}的，拍下记得备注颜色",
    "有宝宝问{p}怎么选，{a}，看个人需求",
    "开箱{b}{p}，第一次用感觉{a}，后续再来反馈",
    "{p}测评来啦：{a}，{a2}，性价比挺高",
)
CHAT_BUYER = (
    "请问{p}什么时候发货？",
    "你好，我买的{p}尺码偏小，可以换大一码吗",
    "收到货了，质量不错，已经好评",
    "能便宜点吗？买两件的话",
    "地址写错了，能改成{city}{district}吗",
    "麻烦帮我备注一下不要放快递柜",
    "退款什么时候到账？已经三天了",
    "这个{p}有没有现货，急用",
    "快递到哪了，一直没更新物流",
    "包装破了，{p}漏了一点，怎么处理",
    "是正品吗？有没有防伪码可以查",
    "可以开发票吗，公司报销用",
)
CHAT_SELLER = (
    "亲，在的，有什么可以帮您？",
    "亲，您的订单号 {order} 已发货，{carrier} {waybill}，请注意查收",
    "亲，{p}今天下午四点前下单当天发",
    "好的亲，已经帮您备注了，有问题随时联系客服",
    "亲，退款已经原路退回，一般1-3个工作日到账",
    "亲，换货的话在订单页面申请就可以，运费我们承担",
    "亲，我们是官方授权店，支持专柜验货，假一赔十",
    "亲亲，拍下后系统自动改价，不用联系客服",
    "亲，您订单 {order} 的物流已更新，快递员今天派送",
    "抱歉亲，这款{p}暂时缺货，预计下周补货",
)
CARRIERS = ("顺丰", "中通", "圆通", "京东快递", "韵达", "极兔")


# --------------------------------------------------------------------------------------------
# Generation.


class Gen:
    """One seeded generator; every method draws from the same stream, so output is stable."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def pick(self, seq: tuple[str, ...] | list[str]) -> str:
        return seq[self.r.randrange(len(seq))]

    def handle(self) -> str:
        word = self.pick(HANDLE_WORDS)
        sep = self.pick(("", "_", "", "-"))
        return f"{word}{sep}{self.r.randint(10, 99999)}"

    def qq(self) -> str:
        return str(self.r.randint(10_000_000, 2_999_999_999))

    def phone(self) -> str:
        digits = f"1{self.pick(('3', '5', '7', '8', '9'))}{self.r.randint(0, 999_999_999):09d}"
        style = self.r.randrange(4)
        if style == 0:
            return digits
        if style == 1:
            return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
        if style == 2:
            return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
        return f"+86 {digits}"

    def order_no(self) -> str:
        """A 19-digit order number that fails Luhn (so it is never a bank-card look-alike)."""
        body = f"{self.r.choice('2345789')}{self.r.randint(0, 10**17 - 1):017d}"
        for last in "0123456789":
            if not _luhn_ok(body + last):
                return body + last
        return body + "0"  # unreachable: nine of ten check digits fail

    def waybill(self, carrier: str) -> str:
        prefix = {"顺丰": "SF", "中通": "ZT", "圆通": "YT", "韵达": "YD", "极兔": "JT"}.get(
            carrier, "JD"
        )
        return f"{prefix}{self.r.randint(10**11, 10**13 - 1)}"

    def price(self, cat: Cat) -> float:
        lo, hi = cat.price
        value = self.r.uniform(lo, hi)
        style = self.r.randrange(3)
        if style == 0:
            return float(int(value))
        if style == 1:
            return round(int(value) + 0.9, 2)
        return round(value, 2)

    def violation(self, kind: str, product: str) -> str:
        if kind == "absolute":
            return self.pick(ABSOLUTE)
        if kind == "medical":
            return self.pick(MEDICAL)
        if kind == "efficacy":
            return self.pick(EFFICACY)
        if kind == "counterfeit":
            return self.pick(COUNTERFEIT)
        if kind == "prohibited":
            return self.pick(PROHIBITED)
        if kind == "sob":
            return self.pick(SOB).format(x=product)
        if kind == "diversion":
            return self.pick(DIVERSION).format(h=self.handle(), q=self.qq())
        if kind == "pii":
            return self.pick(PII).format(p=self.phone(), n=self.pick(SURNAMES))
        raise ValueError(kind)

    def compose(self, clauses: list[str], *, sep: str = "，", end: str = "") -> str:
        """Join clauses, dropping from the end until the text fits MAX_LEN."""
        while len(clauses) > 1 and len(sep.join(clauses) + end) > MAX_LEN:
            clauses.pop()
        return (sep.join(clauses) + end)[:MAX_LEN]

    def pad(self, text: str, filler: Callable[[], str], sep: str = "，") -> str:
        while len(text) < MIN_LEN:
            text = f"{text}{sep}{filler()}"
        return text[:MAX_LEN]


def _luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _insert(g: Gen, clauses: list[str], fragment: str) -> list[str]:
    at = g.r.randint(0, len(clauses))
    return [*clauses[:at], fragment, *clauses[at:]]


def _listing(g: Gen, n: int, violation: str | None) -> dict[str, Any]:
    r = g.r
    category = r.choices(CATEGORIES, weights=CATEGORY_WEIGHTS)[0]
    cat = CATALOGUE[category]
    product, brand = g.pick(cat.products), g.pick(cat.brands)
    title_parts = [f"{brand}{product}", g.pick(cat.specs), g.pick(cat.points)]
    if r.random() < 0.5:
        title_parts.insert(0, f"【{g.pick(PROMOS)}】")
    if r.random() < 0.4:
        title_parts.append(g.pick(cat.points))
    fragment = g.violation(violation, product) if violation else None
    in_title = fragment is not None and violation in ("absolute", "counterfeit", "prohibited")
    in_title = in_title and r.random() < 0.5
    if in_title and fragment:
        title_parts.insert(r.randint(0, len(title_parts)), fragment)
    title = " ".join(title_parts)[:60]
    target = r.randint(MIN_LEN, MAX_LEN)
    clauses: list[str] = []
    for _ in range(40):
        if len("，".join(clauses)) >= target:
            break
        roll = r.random()
        if roll < 0.55:
            clause = g.pick(cat.points)
        elif roll < 0.85:
            clause = g.pick(SERVICE)
        else:
            clause = f"{product}{g.pick(cat.specs)}"
        if clause not in clauses:
            clauses.append(clause)
    if fragment and not in_title:
        clauses = _insert(g, clauses[:-1] or clauses, fragment)
    text = g.pad(g.compose(clauses, end="。"), lambda: g.pick(SERVICE))
    item: dict[str, Any] = {
        "id": f"L-{n:06d}",
        "kind": "listing",
        "category": category,
        "title": title,
        "text": text,
        "price": g.price(cat),
    }
    if category in ("luxury", "apparel", "footwear", "electronics") or r.random() < 0.3:
        item["brand"] = brand
    if violation == "counterfeit" and category == "luxury" and r.random() < 0.5:
        item["price"] = float(r.randint(199, 780))
    return item


def _content(g: Gen, n: int, violation: str | None) -> dict[str, Any]:
    r = g.r
    category = r.choices(CATEGORIES, weights=CATEGORY_WEIGHTS)[0]
    cat = CATALOGUE[category]
    product, brand = g.pick(cat.products), g.pick(cat.brands)

    def line() -> str:
        return g.pick(LIVE).format(
            p=product,
            b=brand,
            a=g.pick(cat.points),
            a2=g.pick(cat.points),
            n=int(g.price(cat)),
            k=r.randint(1, 50),
            m=r.randint(1, 12),
            c=g.pick(cat.products),
            s=g.pick(SERVICE),
        )

    target = r.randint(MIN_LEN, MAX_LEN)
    clauses = [line()]
    for _ in range(40):
        if len("，".join(clauses)) >= target:
            break
        clause = line() if r.random() < 0.6 else g.pick(cat.points)
        if not any(clause[:6] == c[:6] for c in clauses):
            clauses.append(clause)
    if violation:
        clauses = _insert(g, clauses[:-1] or clauses, g.violation(violation, product))
    text = g.pad(g.compose(clauses, end=r.choice(("", "！", "~", "。"))), line)
    item: dict[str, Any] = {"id": f"C-{n:06d}", "kind": "content", "text": text}
    if r.random() < 0.6:
        item["category"] = category
    return item


def _message(g: Gen, n: int, violation: str | None) -> dict[str, Any]:
    r = g.r
    category = r.choices(CATEGORIES, weights=CATEGORY_WEIGHTS)[0]
    product = g.pick(CATALOGUE[category].products)

    def line() -> str:
        carrier = g.pick(CARRIERS)
        template = g.pick(CHAT_SELLER) if r.random() < 0.5 else g.pick(CHAT_BUYER)
        return template.format(
            p=product,
            city=g.pick(CITIES),
            district=g.pick(DISTRICTS),
            order=g.order_no(),
            carrier=carrier,
            waybill=g.waybill(carrier),
        )

    clauses = [line() for _ in range(r.choice((1, 1, 1, 2, 2, 3)))]
    if violation:
        clauses = _insert(g, clauses, g.violation(violation, product))
    text = g.pad(g.compose(clauses, sep=" "), line, sep=" ")
    return {"id": f"M-{n:06d}", "kind": "message", "text": text}


def generate_items(count: int, seed: int) -> list[dict[str, Any]]:
    """`count` items: about half listings, 30% content, 20% messages; ~15% with a violation."""
    g = Gen(seed)
    kinds, kind_weights = zip(*VIOLATION_KINDS, strict=True)
    makers = (_listing, _content, _message)
    out: list[dict[str, Any]] = []
    for n in range(1, count + 1):
        make = g.r.choices(makers, weights=(50, 30, 20))[0]
        violation = None
        if g.r.random() < VIOLATION_SHARE:
            violation = g.r.choices(kinds, weights=kind_weights)[0]
            if make is _message and violation == "sob":
                violation = "diversion"
        out.append(make(g, n, violation))
    return out


# --------------------------------------------------------------------------------------------
# The term list for the floor: the obvious words first, then realistic combinations.

_BASE_TERMS = {
    "absolute": _t(
        "最好 最佳 最具 最赚 最优 最优秀 最大 最大程度 最高 最高级 最高档 最奢侈 最低 最低级 最低价 最底 最便宜 时尚最低价 最流行 最受欢迎 最时尚 最聚拢 最符合 最舒适 最先 最先进 最先进科学 最先进加工工艺 最先享受 最后一波 最新科技 最新科学 第一 中国第一 全网第一 销量第一 排名第一 唯一 第一品牌 NO.1 TOP1 独一无二 全国第一 一流 仅此一次 国家级 国家级产品 全球级 宇宙级 世界级 顶级 顶尖 尖端 顶级工艺 顶级享受 极品 极佳 绝佳 绝对 终极 极致 首个 首选 独家 独家配方 首发 全网首发 全国首发 首家 全网独家 首款 全国销量冠军 国家免检 填补国内空白 中国驰名商标 国际品质 王牌 领袖品牌 世界领先 遥遥领先 领导者 缔造者 创领品牌 领先上市 至尊 巅峰 之王 王者 冠军 史无前例 前无古人 万能 祖传 无敌 全网最低价 全网最便宜 史上最低价 行业领先 销量冠军 绝无仅有 空前绝后 无与伦比 举世无双 天下第一 殿堂级 神级 皇家级 特供 专供 国家机关推荐 国家领导人推荐 央视推荐 专家推荐 免抽检 质量免检 老字号 百年老字号 再不抢就没了 不会更便宜了 错过就没机会了 万人疯抢 全民疯抢 抢疯了 仅限今日 秒杀全网"
    ),
    "medical": _t(
        "治疗 治愈 根治 医治 疗效 主治 药到病除 包治百病 抗癌 防癌 治癌 抑癌 杀死癌细胞 降血压 降血糖 降血脂 降三高 降尿酸 消炎 抗炎 消炎杀菌 抗病毒 杀灭病毒 活血化瘀 祛风除湿 清热解毒 软化血管 疏通血管 清理血管 溶解血栓 壮阳 补肾壮阳 治失眠 治便秘 治脱发 治近视 治鼻炎 治痛风 药用 药效 处方 替代药物 停药 医疗级 疗程 排毒养颜 排宿便 清宿便 调节内分泌 调理内分泌 修复受损细胞 增强免疫系统 防止复发 预防癌症 预防疾病 抗过敏 止痛 镇痛 止咳 平喘 安神助眠 减肥药 瘦身药 美白针 溶脂 燃脂 排毒 养肝护肝 护心 降低胆固醇 改善睡眠障碍 提高免疫力 增强抵抗力 延缓衰老 抗衰老 防辐射 抗菌 除菌率 杀菌率 医学美容 临床验证 临床证明 医生推荐 专家验证 无毒副作用"
    ),
    "efficacy": _t(
        "100%有效 百分百有效 无效退款 无效包退 立竿见影 永不反弹 不反弹 零风险 无风险 无副作用 零副作用 绝对安全 绝对有效 保证有效 保证见效 包见效 一次见效 一次根治 一用就好 一抹就白 一吃就好 一喝就瘦 彻底根除 永久根除 永久去除 永久脱毛 永久美白 永不复发 一劳永逸 保证治好 包治 快速见效 当天见效 立即见效 马上见效 秒见效 躺着也能瘦 不节食不运动 吃了就瘦 越吃越瘦 抹哪瘦哪 七天见效 三天见效 一周见效 神奇疗效 奇效 效果百分百 无效不收费"
    ),
    "diversion": _t(
        "加微信 加我微信 加个微信 加微 加v 加vx 加wx 加q 加qq 微信号 微信联系 微信同号 微信私聊 微信下单 微信交易 微信转账 走微信 vx联系 wx联系 qq号 qq群 微信群 进群 加群 拉你进群 粉丝群号 私下交易 私下转账 私下联系 线下交易 线下付款 绕过平台 不走平台 平台外 站外交易 走支付宝 支付宝转账 银行转账 转账给我 直接转账 打款到 扫码转账 扫码付款 扫我二维码 加好友 主页有联系方式 看主页签名 简介有联系方式 联系方式在 某宝 某多多 某东 去淘宝 去拼多多 闲鱼见 咸鱼见 加企鹅 钉钉联系 私聊优惠 私我拿优惠 评论区加 看评论区 薇信 威信 徽信 v信 扣扣 企鹅号 电报联系 telegram whatsapp"
    ),
    "counterfeit": _t(
        "高仿 超a a货 aaa货 仿品 精仿 顶级仿 仿牌 仿大牌 原单 尾单 外贸原单 原单货 复刻 复刻版 纯原 顶级复刻 一比一 1比1 莆田鞋 公司级 同厂 同厂货源 代工厂货 原版皮 专柜品质 专柜同款 镜面级 高版本 顶级版本 假货 仿货 仿冒 山寨 正品尾货 工厂货 大牌同款 过验 能过验 过专柜验货 不是正品 非正品 仿制 og版 1:1"
    ),
    "prohibited": _t(
        "枪支 手枪 步枪 猎枪 气枪 气步枪 火药枪 仿真枪 钢珠枪 麻醉枪 枪管 弓弩 十字弩 弩箭 军刺 三棱刀 管制刀具 弹簧刀 甩棍 电击器 电击棍 防狼喷雾 催泪喷雾 雷管 炸药 冰毒 海洛因 大麻 摇头丸 k粉 可卡因 罂粟壳 笑气 迷药 听话水 催情药 催情水 春药 蒙汗药 针孔摄像头 针孔摄像机 偷拍神器 隐形摄像头 窃听器 监听器 手机监听 定位跟踪器 象牙 犀牛角 穿山甲 虎骨 熊胆 玳瑁 红珊瑚 代开发票 发票代开 假发票 办证 假证 刻章 假学历 假身份证 买卖银行卡 出售银行卡 银行卡四件套 身份证出售 信用卡套现 花呗套现 电子烟 烟弹 雾化烟 免税香烟 赌博 老虎机 透视扑克 作弊器 游戏外挂 代考 替考 考试答案"
    ),
    "sob": _t(
        "求求大家 帮帮忙 救救我 好心人 跪求 烂在地里 滞销 卖不出去 没人要 生病住院 手术费 救命钱 走投无路 活不下去 撑不下去 颗粒无收 含泪甩卖 工资发不出 破产清仓 倒闭清仓"
    ),
}

_ADJ = _t(
    "好 佳 强 优 低价 便宜 实惠 划算 高端 顶级 先进 正宗 权威 安全 健康 有效 好用 好吃 好喝 好看 漂亮 美 舒适 完美 专业 新鲜 纯正 耐用 靠谱 保暖 精致 优惠 给力 出色 天然 营养 滋补 白 嫩 香 甜 轻 薄 高效 稳定 清晰 持久 保湿 水润 显瘦 显白 百搭 经典 奢华 尊贵 豪华 畅销 热销 火爆 受欢迎 值得买"
)
_SCOPE = _t("全网 全国 全球 全世界 世界 中国 国内 行业 业内 同类 史上 宇宙 全平台 亚洲")
_RANK = _t("第一 第1 冠军 之最 no1 top1 领先 最低价 最畅销 销量王")
_MED_VERBS = _t(
    "治 治疗 治好 根治 医治 缓解 预防 防治 消除 抑制 告别 远离 摆脱 对抗 逆转 专治 攻克 调理"
)
_DISEASES = _t(
    "高血压 糖尿病 高血脂 三高 癌症 肿瘤 失眠 湿疹 皮炎 痛风 关节炎 风湿 鼻炎 咽炎 胃炎 胃病 肠炎 肝病 脂肪肝 肾病 肾结石 心脏病 冠心病 脑梗 血栓 中风 哮喘 便秘 痔疮 前列腺炎 妇科炎症 乳腺增生 甲状腺结节 近视 脱发 抑郁症 老年痴呆 骨质疏松 颈椎病 腰椎间盘突出 痤疮 牛皮癣 白癜风 脚气 灰指甲 贫血 感冒 咳嗽 口腔溃疡 荨麻疹 静脉曲张 不孕不育 耳鸣 动脉硬化"
)
_MESSENGERS = _t("微信 薇信 威信 v信 vx wx 微 qq 扣扣 企鹅 wechat 飞机 电报 钉钉")
_ADD = _t("加 加我 加个 加一下 嘉 +")
_CF_BRANDS = _t(
    "LV Gucci 香奈儿 迪奥 爱马仕 普拉达 巴黎世家 劳力士 卡地亚 耐克 阿迪 AJ 椰子 巴宝莉 蔻驰 芬迪 浪琴 欧米茄 苹果 戴森"
)
_CF_WORDS = _t("高仿 复刻 A货 原单 精仿 一比一 同款 仿 超A 纯原 顶级复刻 莆田")
_EFFECT_TIME = _t("一天 三天 七天 7天 一周 两周 半个月 一个月 28天 一个疗程")
_EFFECT_RESULT = _t("见效 瘦10斤 变白 祛痘 淡斑 长高 生发 去皱 根治 治愈 瘦一圈 白两度")


def generate_terms(count: int, seed: int) -> list[str]:
    """The base terms of every category, then realistic combinations, `count` in all."""
    base = [term for terms in _BASE_TERMS.values() for term in terms]
    pool: list[str] = []
    pool += [f"最{a}" for a in _ADJ]
    pool += [f"{s}最{a}" for s in _SCOPE for a in _ADJ[:12]]
    pool += [f"{s}{k}" for s in _SCOPE for k in _RANK]
    pool += [f"{v}{d}" for v in _MED_VERBS for d in _DISEASES]
    pool += [f"{a}{m}" for a in _ADD for m in _MESSENGERS]
    pool += [f"{m}{x}" for m in _MESSENGERS for x in ("号", "联系", "私聊", "下单", "转账", "群")]
    pool += [f"{b}{w}" for b in _CF_BRANDS for w in _CF_WORDS]
    pool += [f"{t}{e}" for t in _EFFECT_TIME for e in _EFFECT_RESULT]
    rnd = random.Random(seed)
    rnd.shuffle(pool)
    seen: dict[str, None] = dict.fromkeys(base)
    for term in pool:
        if len(seen) >= count:
            break
        seen.setdefault(term, None)
    terms = list(seen)[:count]
    if len(terms) < count:
        raise ValueError(f"only {len(terms)} distinct terms can be made, {count} asked")
    return terms


# --------------------------------------------------------------------------------------------
# Files.


@dataclass(frozen=True)
class Corpus:
    items: Path
    terms: Path
    count: int
    seconds: float  # generation time, 0 when reused


def _fingerprint(count: int, terms: int, seed: int) -> str:
    source = Path(__file__).read_bytes()
    return hashlib.sha256(source + f"{count}:{terms}:{seed}".encode()).hexdigest()[:16]


def write(out: Path, count: int, terms: int, seed: int) -> Corpus:
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    items = generate_items(count, seed)
    items_path, terms_path = out / "items.jsonl", out / "terms.txt"
    with items_path.open("wb") as fh:
        fh.writelines(orjson.dumps(item) + b"\n" for item in items)
    terms_path.write_text("\n".join(generate_terms(terms, seed)) + "\n", "utf-8")
    (out / "manifest.txt").write_text(_fingerprint(count, terms, seed) + "\n", "utf-8")
    return Corpus(items_path, terms_path, count, time.perf_counter() - t0)


def ensure(
    out: Path = OUT,
    count: int = DEFAULT_ITEMS,
    terms: int = DEFAULT_TERMS,
    seed: int = DEFAULT_SEED,
) -> Corpus:
    """The corpus in `out`, generated only when missing or made by other code or settings."""
    manifest = out / "manifest.txt"
    items_path, terms_path = out / "items.jsonl", out / "terms.txt"
    if (
        manifest.is_file()
        and items_path.is_file()
        and terms_path.is_file()
        and manifest.read_text("utf-8").strip() == _fingerprint(count, terms, seed)
    ):
        return Corpus(items_path, terms_path, count, 0.0)
    return write(out, count, terms, seed)


def describe(path: Path) -> str:
    """A one-paragraph profile of an items file: kinds, lengths and seeded violations."""
    kinds: Counter[str] = Counter()
    lengths: list[int] = []
    n = 0
    with path.open("rb") as fh:
        for raw in fh:
            item = orjson.loads(raw)
            n += 1
            kinds[item["kind"]] += 1
            lengths.append(len(item["text"]))
    lengths.sort()
    share = ", ".join(f"{k} {v / n:.0%}" for k, v in sorted(kinds.items()))
    return (
        f"{n:,} items ({share}); text length min {lengths[0]}, median "
        f"{lengths[len(lengths) // 2]}, max {lengths[-1]}; {path.stat().st_size / 1e6:.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--items", type=int, default=DEFAULT_ITEMS)
    parser.add_argument("--terms", type=int, default=DEFAULT_TERMS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    corpus = write(args.out, args.items, args.terms, args.seed)
    print(f"wrote {corpus.items} and {corpus.terms} in {corpus.seconds:.1f} s")
    print(describe(corpus.items))


if __name__ == "__main__":
    main()
