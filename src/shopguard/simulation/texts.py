"""Synthetic listings, captions and live-stream transcripts of a Chinese-style marketplace.

The texts are written from how real listings and streams read, independently of the policy
pack: they are the ground truth the detection engine is measured against. Every function is
deterministic in the `random.Random` it is given.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

CATEGORIES = (
    "cosmetics",
    "food",
    "fresh_produce",
    "supplements",
    "apparel",
    "footwear",
    "luxury",
    "electronics",
    "home",
    "baby",
    "drugs",
    "medical_devices",
    "other",
)
CODES = (
    "ad.absolute_term",
    "claim.medical",
    "claim.efficacy_guarantee",
    "marketing.sob_story",
    "diversion.off_platform",
    "pii.exposure",
    "ip.counterfeit_signal",
    "goods.prohibited",
)

Slot = Sequence[str] | Callable[[], str]


def _w(words: str) -> tuple[str, ...]:
    return tuple(words.split())


@dataclass(frozen=True)
class _Item:
    noun: str
    lo: float
    hi: float
    specs: tuple[str, ...]
    extra: tuple[str, ...]
    brand: str | None = None


def _items(rows: str) -> tuple[_Item, ...]:
    """`noun|lo|hi|spec/spec|extra/extra; ...`; `brand·noun` fixes the brand, `@POOL` includes one."""
    out: list[_Item] = []
    for row in filter(None, (r.strip() for r in rows.split(";"))):
        if row.startswith("@"):
            out += _POOLS[row[1:]]
            continue
        noun, lo, hi, specs, *extra = row.split("|")
        brand, _, name = noun.rpartition("·")
        out.append(
            _Item(
                name,
                float(lo),
                float(hi),
                tuple(specs.split("/")),
                tuple(extra[0].split("/")) if extra else (),
                brand or None,
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class _Cat:
    group: str
    brands: tuple[str, ...]
    items: tuple[_Item, ...]
    points: tuple[str, ...]
    medical: tuple[_Item, ...]
    efficacy: tuple[_Item, ...]
    fakes: tuple[_Item, ...]
    banned: tuple[_Item, ...]
    clean: tuple[str, ...]


_POOLS: dict[str, tuple[_Item, ...]] = {}
_POOLS.update(
    GUNS=_items(
        "仿真枪|199|1599|M4款/格洛克款/沙鹰款|全金属枪身/可发射钢珠/后坐力强/初速高;"
        "气枪|699|2999|5.5口径/4.5口径|初速高/配瞄准镜/打鸟很准"
    ),
    BLADES=_items(
        "弓弩|399|1999|175磅/150磅|射程百米/配钢箭; 弹簧刀|69|299|小号/大号|一键弹出/已开刃;"
        "电击器|99|399|黑色/银色|高压防身/随身携带"
    ),
    SPY=_items(
        "针孔摄像头|89|399|1080P/4K|无线远程查看/超长待机/隐蔽安装; 窃听器|199|899|迷你款|远程监听/声控录音;"
        "偷拍眼镜|299|899|黑框款|镜头隐形/连续录像8小时; 信号屏蔽器|299|1299|8路/12路|屏蔽手机信号/考场可用;"
        "考试作弊耳机|199|999|隐形款|隐形入耳/考场专用"
    ),
    IVORY=_items(
        "象牙手串|1999|29999|10mm/12mm|老料包浆/纹路清晰; 犀牛角杯|9999|89999|整料|老件/手工雕刻;"
        "玳瑁手镯|1999|9999|圈口58/圈口60|天然老料/手工打磨"
    ),
    NARCOTICS=_items(
        "冰毒|300|1200|1g/5g|货纯/同城当面; 大麻|200|900|10g|成品/种子也有;"
        "笑气|99|399|大瓶装|派对吸着玩/一吸就嗨; 可待因止咳水|99|299|120ml|老款配方/整箱出"
    ),
)

# One block per category: its group, then brands ("-" for none), items (noun|price range|specs),
# selling points, and the goods behind each kind of violation: medical (extra: diseases),
# efficacy (extra: effects), fakes (genuine price, extra: brands copied), banned (extra: features).
_CATALOG = """
cosmetics beauty
  brands 完美日记 花西子 珀莱雅 自然堂 百雀羚 欧莱雅 韩束 丸美 橘朵 薇诺娜 玉兰油 - -
  items 精华液|89|499|30ml/50ml; 面霜|79|399|50g/30g; 水乳套装|129|499|两件套/三件套; 洗面奶|29|99|120g/100ml; 防晒霜|49|199|SPF50+ PA++++/40ml; 口红|49|199|3.5g/#01/#05; 粉底液|89|399|30ml; 气垫|79|299|15g+替换芯; 眼霜|99|399|15g/20ml; 面膜|39|129|5片装/10片装; 卸妆油|49|169|150ml/200ml; 身体乳|29|99|250ml/400ml; 眉笔|19|69|0.1g/双头; 散粉|59|199|8g
  points 保湿补水 清爽不黏腻 温和配方 持久不脱妆 细腻服帖 轻薄透气 提亮气色 滋润不干 淡淡香味 敏感肌可用 易推开 哑光质地 水润光泽
  medical 草本乳膏|39|129|20g/30g|湿疹/皮炎/牛皮癣/荨麻疹; 祛痘精华|69|199|30ml|痤疮/毛囊炎; 生发液|99|299|60ml/100ml|脂溢性脱发/斑秃; 紫草膏|29|79|15g|湿疹/脚气; 抑菌喷雾|29|69|100ml|脚气/灰指甲/真菌感染
  efficacy 淡斑精华|129|399|30ml|淡斑/提亮肤色/淡化痘印; 抗皱眼霜|99|499|15g|淡化细纹/去黑眼圈; 毛孔收缩水|59|199|200ml|收缩毛孔/去黑头; 紧致面霜|199|699|50g|紧致提拉/淡化法令纹
  fakes 口红|320|460|#999/#888|迪奥/香奈儿/圣罗兰; 精华|790|1600|50ml/100ml|雅诗兰黛/兰蔻/SK-II; 面霜|2900|4800|60ml|海蓝之谜; 香水|800|1600|50ml/100ml|香奈儿/祖玛珑/迪奥
  banned 含汞祛斑霜|99|299|30g|老配方含汞/回头客多; 激素面霜|59|199|20g|添加激素/老顾客专拍

food food
  brands 三只松鼠 良品铺子 百草味 卫龙 王小卤 五芳斋 稻香村 认养一头牛 李子柒 旺旺 -
  items 每日坚果|59|169|30包/750g; 牛肉干|39|129|250g/500g; 辣条|9.9|39|20包/500g; 螺蛳粉|29|79|3袋/5袋; 纯牛奶|39|89|250ml*12盒/250ml*24盒; 粽子礼盒|59|199|8只装/10只装; 月饼礼盒|79|299|6饼/8饼; 红枣|29|79|1kg/500g; 西湖龙井|99|599|250g/礼盒装; 蜂蜜|39|129|500g/1kg; 黑芝麻丸|29|79|30丸; 卤鸡爪|29|69|500g/10包; 零食大礼包|49|159|30包/50包; 挂面|19|49|2kg
  points 香辣过瘾 独立小包装 酥脆可口 原味 低糖配方 现做现发 办公室零食 追剧必备 有嚼劲 颗粒饱满 口感醇厚 开袋即食 甜而不腻
  medical 苦荞茶|29|89|500g/罐装|高血压/高血脂/糖尿病; 桑叶茶|39|99|30包|糖尿病/高血糖; 黑蒜|59|159|500g|高血压/癌症/肿瘤; 纳豆|49|129|12盒|血栓/脑梗; 秋梨膏|39|99|300g|咳嗽/咽炎/哮喘; 蒲公英茶|29|69|150g|乳腺增生/胃炎/咽炎
  efficacy 代餐奶昔|99|299|10袋|瘦十斤/掉秤; 纤体茶|49|169|30包|瘦肚子/排油刮油; 酵素果冻|59|199|14条|刮油掉秤/瘦腰; 黑咖啡|39|129|30条|燃脂掉秤
  fakes 酱香白酒|1499|3299|53度500ml|飞天茅台/五粮液; 巧克力礼盒|99|399|16粒/24粒|费列罗/歌帝梵; 即食燕窝|599|1999|礼盒装|燕之屋
  banned 罂粟壳|39|199|500g|火锅卤料提香/回头客多; 穿山甲肉|599|1999|整只|野生/冷冻发货

fresh_produce food
  brands - - - - 百果园 佳沛 都乐 果园直发
  items 赣南脐橙|39|89|5斤装/10斤装; 烟台红富士|39|99|5斤装/单果80mm; 阳山水蜜桃|69|169|6个装/12个装; 海南贵妃芒|29|79|5斤; 丹东草莓|59|159|3斤/净重2斤; 智利车厘子|129|399|JJ级2斤/JJJ级5斤; 阳澄湖大闸蟹|199|699|公4两母3两8只; 阿克苏冰糖心苹果|49|119|10斤; 眉山爱媛果冻橙|39|99|5斤; 云南蓝莓|49|129|4盒/12盒; 盐池滩羊肉|129|299|2斤/5斤; 散养土鸡蛋|39|79|30枚/60枚; 舟山带鱼|59|159|2斤/5斤; 周至猕猴桃|29|79|24个
  points 现摘现发 果园直发 皮薄多汁 个大饱满 甜度高 脆甜 汁水足 当季新鲜 产地直供 果香浓郁 冷链运输 肉质紧实
  medical 苦瓜|19|49|5斤|糖尿病/高血糖; 秋葵|29|59|3斤|糖尿病/胃病; 黑枸杞|59|199|250g|高血压/失眠; 鲜铁皮石斛|199|599|500g|胃炎/糖尿病; 洋葱|19|39|10斤|高血脂/高血压; 猴头菇|59|159|500g|胃溃疡/胃炎
  efficacy 代餐紫薯|29|79|5斤|掉秤/瘦肚子; 鲜柠檬|19|49|3斤|变白/好气色; 牛油果|39|99|6个|瘦十斤/掉秤
  fakes 冰糖橙|69|129|5kg|褚橙; 大闸蟹|399|1299|8只装|阳澄湖
  banned 野生娃娃鱼|299|999|2斤左右|活体/野生大个; 果子狸|399|1299|活体|野生/现杀
  clean {noun}当天采摘当天发货，{point}。 || 单果大小有差异，净重足称。 || 冷链发货，收到后请尽快冷藏。 || 产地直发，{days}左右送达。

supplements food
  brands 汤臣倍健 Swisse 善存 钙尔奇 健力多 自然之宝 养生堂 纽崔莱 -
  items 维生素C片|39|129|100片/60片; 复合维生素|79|239|60片; 钙片|59|199|90片/120片; 鱼油软胶囊|99|299|100粒/200粒; 蛋白粉|159|399|450g/900g; 益生菌|99|259|30条/60条; 叶黄素|99|299|60粒; 胶原蛋白肽|129|399|30袋; 氨糖软骨素|99|299|120片; 维生素D3|39|99|90粒
  points 每日一粒 小粒好吞 便携装 成人中老年适用 软胶囊 独立包装 饭后服用 蓝帽认证 柠檬味 咀嚼片
  medical 纳豆激酶|199|499|60粒|脑梗/血栓/高血压; 灵芝孢子粉|299|899|90粒|癌症/肿瘤; 氨糖软骨素|99|299|120片|关节炎/骨质增生; 蜂胶|99|299|60粒|糖尿病/咽炎; 深海鱼油|99|299|100粒|高血脂/脑梗; 益生菌|99|259|30条|便秘/肠炎/腹泻
  efficacy 儿童钙片|99|299|60片|长高/长个子; 胶原蛋白肽|199|599|30袋|紧致嫩肤/淡化细纹; 左旋肉碱|69|199|60粒|燃脂瘦身/瘦十斤; 褪黑素|59|199|60粒|一觉睡到天亮/秒睡
  fakes 鱼油|199|399|400粒|Swisse/汤臣倍健; 蛋白粉|299|499|450g|汤臣倍健/康宝莱; 叶黄素|199|399|60粒|Swisse/自然之宝
  banned 减肥胶囊|99|299|60粒|添加西布曲明/泰国进口; 男士糖果|99|399|10粒|含西地那非/男士专用
  clean 本品不能代替药物。 || 适宜人群：成人；不适宜人群：孕妇、乳母及儿童。 || 保健食品批准文号可在市场监管总局网站查询。

apparel fashion
  brands 优衣库 波司登 太平鸟 森马 海澜之家 李宁 安踏 南极人 恒源祥 鸭鸭 雪中飞 -
  items 羽绒服|299|1299|S-XL/M-3XL; 卫衣|79|299|S-XXL/M-XL; 纯棉T恤|39|129|S-XXL; 牛仔裤|89|299|26-32码; 连衣裙|99|399|S-L; 冲锋衣|199|899|M-3XL; 针织开衫|89|299|均码; 西装外套|199|699|S-XL; 阔腿裤|69|199|S-XL; 衬衫|79|259|S-XXL; 加绒打底裤|39|99|均码; 睡衣套装|59|199|M-XXL; 风衣|299|899|S-XL; 羊毛大衣|499|1999|S-XL
  points 宽松显瘦 百搭 加厚保暖 透气舒适 垂感好 不起球 韩版 休闲 修身 弹力 防风 亲肤 加绒 简约
  medical 磁疗内衣|79|299|M-XL|乳腺增生/宫寒; 托玛琳护膝|49|159|一对装|关节炎/风湿; 远红外保暖裤|69|199|L-3XL|风湿/关节炎/静脉曲张; 石墨烯护腰|99|299|均码|腰椎间盘突出/腰肌劳损
  efficacy 塑身衣|69|299|S-XL|瘦腰/收腹/瘦十斤; 提臀裤|49|169|M-XL|提臀/瘦腿; 发热内衣|79|199|M-XXL|零下二十度不冷
  fakes 羽绒服|8000|16000|S-XL|Moncler/加拿大鹅; 卫衣|3000|6500|M-XXL|Gucci/巴黎世家/Prada; 冲锋衣|1999|6000|M-XXL|始祖鸟/北面; T恤|1500|3500|S-XL|Gucci/Burberry
  banned 警服|199|599|春秋款/夏季款|全套带肩章/配警号; 军装|199|699|07式|带军衔/现役同款
  clean 面料{fabric}，{point}。 || 模特身高{height}cm，穿M码。 || 机洗请翻面，不可暴晒。

footwear fashion
  brands 李宁 安踏 特步 361度 鸿星尔克 回力 斯凯奇 百丽 红蜻蜓 骆驼 -
  items 跑步鞋|159|699|36-45码; 篮球鞋|199|899|39-46码; 板鞋|99|399|35-44码; 帆布鞋|49|199|35-44码; 老爹鞋|129|499|35-44码; 小白鞋|89|299|35-40码; 马丁靴|159|499|35-44码; 雪地靴|99|399|35-40码; 凉拖|29|99|36-45码; 乐福鞋|159|599|35-40码; 徒步鞋|199|799|38-45码
  points 轻便透气 软底防滑 缓震回弹 百搭 厚底显高 耐磨 舒适 透气网面 好打理 防泼水 加绒保暖 一脚蹬
  medical 磁疗鞋垫|19|59|35-45码|足底筋膜炎/高血压/失眠; 足弓矫正鞋|199|499|36-44码|扁平足/拇外翻; 中老年健步鞋|129|299|38-44码|关节炎/静脉曲张
  efficacy 内增高鞋|199|499|38-44码|增高8cm/长高; 增高鞋垫|19|59|均码|增高5cm; 摇摇鞋|99|299|35-40码|瘦腿/瘦小腿
  fakes 篮球鞋|1299|3999|36-46码|Air Jordan/Nike; 椰子鞋|1899|2999|36-45码|Yeezy/阿迪达斯; 老爹鞋|5000|9000|35-44码|巴黎世家/Gucci; 跑鞋|999|1899|36-45码|New Balance/Nike
  banned 作战靴|129|399|39-45码|现役配发/带编号; 警用皮鞋|99|299|38-44码|制式/配警号
  clean 鞋码{spec}，脚背高建议拍大一码。 || 鞋盒随机发，不影响穿着。

luxury luxury
  brands LV Gucci 香奈儿 爱马仕 Prada 迪奥 卡地亚 劳力士 欧米茄 蒂芙尼 宝格丽 Burberry
  items 老花手提包|12000|32000|25cm/30cm; 链条包|28000|68000|小号/中号; 腋下包|15000|35000|经典款; 钱包|3500|9000|短款/长款; 丝巾|3000|6500|90cm; 腰带|3500|7000|30mm/38mm; 机械腕表|45000|160000|41mm/36mm; 项链|9000|36000|45cm; 手镯|35000|80000|16号/17号; 太阳镜|2800|5500|经典款; 耳钉|6000|18000|一对
  points 专柜正品 经典老花 小牛皮 附全套包装 支持鉴定 手工缝线 中古 九五新 经典款 全新未使用
  medical 和田玉手镯|2999|19999|圈口56/圈口58|高血压/失眠; 沉香手串|1999|9999|14mm|失眠/抑郁症; 砭石项链|999|3999|45cm|颈椎病/失眠
  efficacy 投资金条|4800|60000|10g/20g/50g|保值增值/只涨不跌; 翡翠原石|2000|30000|整块|开出高货/翻倍回本; 二手名表|20000|90000|41mm|保值增值/回收价只涨不跌
  fakes 手提包|15000|68000|25cm/30cm|LV/爱马仕/香奈儿/Gucci; 腕表|50000|160000|41mm|劳力士/欧米茄; 手镯|40000|80000|16号/17号|卡地亚/宝格丽; 围巾|3000|6500|180cm|Burberry/爱马仕; 钱包|4000|9000|短款|LV/Gucci/Prada
  banned @IVORY

electronics goods
  brands 华为 小米 荣耀 OPPO vivo 联想 罗技 漫步者 索尼 安克 倍思 绿联 -
  items 智能手机|1099|6999|8+256G/12+512G; 蓝牙耳机|79|999|降噪版/标准版; 充电宝|59|299|10000mAh/20000mAh; 数据线|19|59|1m/2m; 快充头|29|149|20W/65W; 平板电脑|1299|5999|8+128G/WiFi版; 笔记本电脑|3299|9999|16G+512G/32G+1T; 智能手表|299|2999|46mm/42mm; 机械键盘|159|899|87键/104键; 无线鼠标|49|399|静音款; 移动硬盘|299|999|1TB/2TB; 蓝牙音箱|99|1299|便携款
  points 主动降噪 长续航 快充 轻薄便携 蓝牙5.3 大电池 低延迟 高清屏 全国联保 Type-C接口 多设备连接 静音按键
  medical 护眼仪|199|599|标准版|近视/弱视/干眼症; 颈椎按摩仪|199|699|智能款|颈椎病/偏头痛; 理疗手环|99|399|均码|高血压/失眠; 脉冲理疗仪|199|599|8片装|腰椎间盘突出/肩周炎
  efficacy 驱蚊器|39|129|插电款|驱蚊/驱蟑螂; 信号放大器|99|299|全网通|信号满格; 甲醛净化器|399|1999|卧室款|除甲醛/除异味
  fakes 无线耳机|1299|1899|二代/三代|AirPods/索尼; 智能手表|2999|6999|45mm|Apple Watch/华为; 手机|5999|9999|256G|iPhone/华为
  banned @SPY
  clean {warranty}，全国联保。 || 支持以旧换新，详情咨询在线客服。 || 说明书随箱附赠，使用前请仔细阅读。

home goods
  brands 美的 九阳 苏泊尔 小熊 格力 海尔 追觅 科沃斯 罗莱 水星家纺 富安娜 -
  items 电饭煲|149|599|3L/4L; 空气炸锅|199|499|5L/6L; 破壁机|299|999|1.75L; 电热水壶|69|199|1.5L/1.7L; 吸尘器|399|1999|无线款; 扫地机器人|1499|3999|自动集尘; 吹风机|99|499|负离子款; 四件套|159|599|1.5m床/1.8m床; 乳胶枕|99|299|一对装; 收纳箱|39|129|三只装; 保温杯|59|199|500ml; 不粘锅|99|399|28cm/32cm; 落地扇|159|499|遥控款; 除湿机|599|1599|20L
  points 大容量 一键操作 易清洗 静音 节能 304不锈钢 防烫 简约风 可折叠 不粘涂层 恒温 家用
  medical 磁化水杯|59|199|500ml|糖尿病/痛风/结石; 负离子床垫|1999|5999|1.8m|失眠/颈椎病; 艾草枕头|59|159|单只|颈椎病/失眠; 远红外足浴盆|199|599|加深款|风湿/静脉曲张; 盐灯|79|199|中号|鼻炎/哮喘
  efficacy 除甲醛果冻|29|89|10盒|除甲醛/除异味; 除螨仪|199|699|标准款|除螨/杀菌; 防霉喷剂|19|49|500ml|去霉斑/防霉; 除垢剂|15|39|500ml|去水垢/去油污
  fakes 吹风机|2999|3599|HD15|戴森; 卷发棒|3999|4699|全套|戴森; 保温杯|399|699|500ml|膳魔师/象印; 不粘锅|999|2999|28cm|双立人
  banned @GUNS; @BLADES; 烟雾报警器摄像头|129|399|吸顶款|隐藏摄像/手机远程看
  clean 尺寸规格{spec}，下单前请确认。 || 使用前请仔细阅读说明书。

baby goods
  brands 飞鹤 君乐宝 爱他美 帮宝适 好奇 花王 babycare 贝亲 可优比 好孩子 -
  items 婴儿奶粉|199|399|1段800g/3段800g; 纸尿裤|69|169|S码/L码/XL码; 拉拉裤|79|169|L码/XXL码; 婴儿湿巾|29|69|80抽*10包; 奶瓶|49|169|240ml/160ml; 婴儿推车|599|2999|可坐可躺; 安全座椅|699|2499|0-12岁; 儿童餐椅|199|599|可折叠; 爬行垫|99|299|180*200cm; 婴儿连体衣|49|149|59码/73码; 吸奶器|199|699|双边电动; 儿童水杯|39|99|300ml
  points 柔软亲肤 轻薄透气 不易侧漏 食品级材质 可高温消毒 轻便折叠 防胀气 A类面料 宽口径 防摔
  medical 羊奶粉|199|399|800g|湿疹/过敏/腹泻; 草本肚脐贴|29|79|30贴|腹泻/厌食症; 艾草泡澡包|29|69|30包|湿疹/黄疸; 护眼台灯|199|599|标准版|近视/弱视; 婴儿抚触油|39|99|100ml|湿疹/黄疸
  efficacy 儿童钙铁锌|99|299|60片|长高/开胃; 护臀膏|39|99|30g|不红屁屁; 纸尿裤|99|199|L码|不红屁屁/不漏尿; 助眠喷雾|59|159|100ml|宝宝睡整觉
  fakes 婴儿推车|4999|9999|高景观|Bugaboo/Stokke; 奶粉|299|499|3段900g|爱他美/美赞臣; 纸尿裤|129|199|L码|花王/帮宝适
  banned 婴儿抑菌霜|49|129|20g|添加激素/自制配方; 儿童仿真枪|99|299|M416款|可发射钢珠/金属枪管
  clean 建议6个月以上宝宝使用。 || 面料符合A类标准，婴幼儿可穿。 || 可高温蒸汽消毒。

drugs health
  items 999·感冒灵颗粒|12|29|10g*9袋|感冒引起的头痛/发热/鼻塞/流涕/咽痛; 芬必得·布洛芬缓释胶囊|18|35|0.3g*24粒|头痛/关节痛/偏头痛/牙痛/痛经; 云南白药·气雾剂|29|49|85g+30g|跌打损伤/瘀血肿痛/肌肉酸痛; 江中·健胃消食片|9.9|25|0.8g*32片|脾胃虚弱所致的食积/不思饮食/脘腹胀满; 马应龙·麝香痔疮膏|19|39|10g|痔疮/肛裂/大便出血; 开瑞坦·氯雷他定片|19|39|10mg*6片|过敏性鼻炎/慢性荨麻疹/皮肤瘙痒; 思密达·蒙脱石散|15|29|3g*10袋|成人及儿童急性腹泻/慢性腹泻; 以岭·连花清瘟胶囊|19|39|0.35g*24粒|流行性感冒/发热/咳嗽/咽痛; 达克宁·硝酸咪康唑乳膏|15|30|20g|手癣/足癣/体癣/股癣; 白云山·板蓝根颗粒|9.9|19|10g*20袋|咽喉肿痛/口咽干燥; 999·皮炎平软膏|9.9|19|20g|局限性瘙痒症/神经性皮炎/湿疹; 仁和·藿香正气水|9.9|19|10ml*10支|外感风寒/胃肠型感冒
  points 家庭常备 OTC 药房直发 正规药房 独立包装 成人适用
  medical 草本泡脚包|39|99|30包|风湿/失眠/高血压; 艾草足贴|29|79|50贴|失眠/痛风; 远红外理疗贴|49|129|10贴|关节炎/腰椎间盘突出; 草本茶饮|39|99|30包|高血压/糖尿病
  efficacy 止咳糖浆|19|59|120ml|止咳/化痰; 感冒颗粒|15|39|10袋|退烧/感冒好得快; 止痛膏|19|49|5贴|止痛/消肿; 皮炎乳膏|9.9|29|20g|止痒/消炎
  fakes 气雾剂|29|49|85g|云南白药; 布洛芬胶囊|20|45|24粒|芬必得; 感冒灵颗粒|20|40|10袋|999
  banned 穿山甲片|299|1599|250g/500g|野生/炮制好; 熊胆粉|199|999|5g/10g|野生熊胆/纯粉; @NARCOTICS
  clean 【功能主治】用于{ind}。 || 批准文号：国药准字{appr}。 || 请仔细阅读说明书并按说明使用或在药师指导下购买和使用。 || 孕妇及哺乳期妇女请在医师指导下使用。 || 如症状未缓解，请咨询医师或药师。

medical_devices health
  items 鱼跃·电子血压计|129|399|上臂式/腕式|家庭血压测量/高血压人群日常监测; 三诺·血糖仪|99|299|套装含50试纸|糖尿病患者血糖监测; 欧姆龙·雾化器|199|499|家用款|哮喘/慢性支气管炎雾化治疗; 鱼跃·制氧机|1299|3999|3L/5L|慢阻肺/心肺疾病氧疗; 可孚·医用外科口罩|9.9|29|50只|临床科室防护/日常防护; 海氏海诺·医用冷敷贴|19|49|6贴|软组织损伤/发热物理降温; 振德·医用弹性绷带|9.9|29|7.5cm*4.5m|关节扭伤固定/静脉曲张压迫; 鱼跃·指夹式血氧仪|99|259|标准版|血氧饱和度和脉率测量; 可孚·红外额温枪|59|159|标准版|体温测量/发热筛查; 欧姆龙·低频治疗仪|299|699|家用款|肩颈酸痛/腰背痛/关节痛; 鱼跃·轮椅|399|1999|折叠款|行动不便者代步
  points 家用 操作简单 大屏显示 语音播报 便携 医用级 一键测量 数据记忆
  medical 负离子手环|99|299|均码|高血压/失眠/糖尿病; 量子能量杯|199|699|400ml|癌症/糖尿病/痛风; 石墨烯暖宫腰带|129|399|均码|宫寒/痛经/子宫肌瘤; 磁疗护膝|79|199|一对|关节炎/滑膜炎
  efficacy 止鼾器|59|299|硅胶款|止鼾; 视力训练仪|299|1299|标准版|视力提升/摘掉眼镜; 腰椎牵引器|199|599|家用款|腰不疼/腰突不复发; 助听器|599|3999|耳背式|听得清
  fakes 血压计|299|699|上臂式|欧姆龙/鱼跃; 助听器|3000|9000|耳内式|西门子/峰力; 血糖仪|199|399|套装|罗氏/强生
  banned 肉毒素|399|1299|100单位|瘦脸除皱/进口包装; 胎儿性别鉴定|299|999|邮寄血样|私密出结果/七周可测; 水光针|199|699|5ml|自己在家打/高浓度
  clean 【适用范围】用于{ind}。 || 注册证编号：{reg}。 || 请仔细阅读说明书，按说明使用。 || 一次性使用，用后请妥善丢弃。

other goods
  brands 晨光 得力 百乐 乐高 泡泡玛特 迪卡侬 网易严选 小米 -
  items 中性笔|9.9|29|0.5mm*12支; 笔记本|12|39|A5/B5; 积木|59|399|城市系列/机械组; 盲盒|59|69|单只/整盒; 瑜伽垫|39|129|6mm/10mm; 哑铃|59|299|10kg/20kg; 露营帐篷|199|899|3-4人; 钓鱼竿|79|399|3.6m/4.5m; 猫粮|49|199|2kg/10kg; 猫砂|29|79|6L*4包; 车载支架|29|99|出风口款; 香薰蜡烛|39|129|200g; 鲜花花束|99|299|11枝/19枝
  points 耐用 便携 多色可选 适合送礼 收纳方便 颜值高 手感好 益智 防滑 无味
  medical 富氢水杯|199|599|450ml|糖尿病/痛风/高血压; 水晶手链|99|399|8mm|抑郁症/失眠; 量子能量卡|29|99|卡片款|失眠/颈椎病/高血压
  efficacy 驱鼠器|49|199|插电款|驱鼠; 杀蟑胶饵|19|59|10支|杀灭蟑螂; 除臭剂|19|49|500ml|除臭/去异味; 钓鱼小药|15|49|套装|爆护
  fakes 积木|399|1699|千年隼/跑车|乐高; 手办|299|899|限定款|泡泡玛特/万代; 钢笔|399|1299|F尖|万宝龙/百利金
  banned 代开发票|5|50|各行业|可查验/点数低; 假发票|5|30|增值税普票|可报销/全国通用; 假证|100|800|学历证/驾驶证|可上网查; 银行卡四件套|500|2000|一类卡|带U盾/对公对私都有; 实名手机卡|30|150|全国号段|不用本人/秒激活; 电子烟|59|199|烟杆加烟弹|多口味/烟油可换; @GUNS
  clean {spec}，{point}，送人自用都合适。
"""


def _parse_catalog(text: str) -> dict[str, _Cat]:
    cats: dict[str, _Cat] = {}
    for block in text.strip().split("\n\n"):
        head, *lines = block.splitlines()
        name, group = head.split()
        f = dict(line.strip().split(" ", 1) for line in lines)
        cats[name] = _Cat(
            group=group,
            brands=_w(f.get("brands", "")),
            items=_items(f["items"]),
            points=_w(f["points"]),
            medical=_items(f["medical"]),
            efficacy=_items(f["efficacy"]),
            fakes=_items(f["fakes"]),
            banned=_items(f["banned"]),
            clean=tuple(f["clean"].split(" || ")) if "clean" in f else (),
        )
    return cats


_CATS = _parse_catalog(_CATALOG)
_OWN_BRANDS = {
    "beauty": _w("初岚 植萃说 雪颜集 花间颂 肌源纪 柔若 木槿集"),
    "food": _w("乡味坊 山里娃 果小满 田园记 粮仓里 老灶台 鲜语"),
    "fashion": _w("棉麻坊 衣尚岛 森屿 北纬线 拾光 遇见衣橱 途野"),
    "luxury": (),
    "goods": _w("优品汇 简居 声动 睿享 安途 小鹿窝 可多"),
    "health": _w("康晨 安诺 益年堂 仁康 百草源 惠民康"),
}
_AUDIENCE = {
    "beauty": _w("干皮 油皮 混合皮 学生党 上班族"),
    "food": _w("办公室 学生党 全家人 老人孩子 追剧"),
    "fashion": _w("通勤 学生党 上班族 约会 日常"),
    "luxury": _w("送礼 通勤 收藏 约会"),
    "goods": _w("家用 宿舍 办公室 新家 送礼"),
    "health": _w("家庭常备 中老年人 上班族"),
}
_TAGS = {
    "health": _w("药房直发 OTC 顺丰包邮 正品保障"),
    "": _w("官方旗舰 新品 现货速发 顺丰包邮 年货节 店长推荐 限时特惠 热卖"),
}
_STANDARDS = {
    "beauty": _w("GB/T29665-2013 QB/T1857-2013"),
    "food": _w("GB2760 GB7718 GB/T20977 GB19644"),
    "fashion": _w("GB18401-2010 GB/T22849-2014 GB/T14272-2021"),
    "luxury": _w("GB11887-2012 QB/T1333-2018"),
    "goods": _w("GB4706.1-2005 GB4943.1-2022 GB31701-2015 GB6675-2014"),
    "health": _w("GB9706.1-2020 GB/T14710-2009"),
}
_GROUP_OF = {name: cat.group for name, cat in _CATS.items()}

# --- templates -------------------------------------------------------------------------------
# Slots in braces; slots whose name starts with "K" carry the violation and are disguised when
# `evasive`. A trailing digit draws a second, different value from the same source.

_TITLES = {
    "beauty": (
        "{brand}{noun}{spec} {point}{point2}",
        "{brand}{noun} {point} {point2} {spec}",
        "【{tag}】{brand}{noun} {point} {spec}",
        "{brand}{season}新品{noun} {point}{spec}",
        "{brand}{noun}{aud}{point} {spec}",
    ),
    "food": (
        "{brand}{noun}{spec} {point}{point2}",
        "【{tag}】{brand}{noun} {point} {spec}",
        "{brand}{noun} {point} {spec} 家庭装",
        "{noun}{spec} {point} {point2}",
        "{brand}{noun}{season}新货 {point} {spec}",
    ),
    "fashion": (
        "{brand}{noun}{sex}{year}{season}新款{point}{point2}",
        "{brand}{sex}{noun} {point} {spec}",
        "【{tag}】{brand}{noun}{point}{point2}",
        "{brand}{noun} {spec} {point}",
        "{year}新款{noun}{sex} {point} {point2}",
    ),
    "luxury": (
        "{brand}{noun} {spec} {point}",
        "【{tag}】{brand}{noun}{spec}",
        "{brand} {noun} {point} {point2}",
        "{brand}{noun}{spec} {point} {point2}",
    ),
    "goods": (
        "{brand}{noun} {spec} {point} {point2}",
        "【{tag}】{brand}{noun}{spec} {point}",
        "{brand}{noun}{year}新款 {point} {spec}",
        "{brand} {noun} {point}{point2} {spec}",
    ),
    "health": (
        "{brand}{noun} {spec}",
        "{brand}{noun} {spec} {ind1}",
        "【{tag}】{brand}{noun} {spec}",
        "{brand} {noun} {spec} {point}",
    ),
}

_CLEAN = (
    "{point}，{point2}，{spec}。",
    "{brand}{noun}，{spec}，{point}。",
    "{spec}规格，{point}，日常使用很方便。",
    "现货速发，下单后48小时内发货。",
    "{point}，适合{aud}。",
    "今天下单赠送{gift}，送完即止。",
    "颜色以实物为准，拍照可能存在轻微色差。",
    "{place}仓发货，一般{n}天内送达。",
    "买两件再减{cut}元，可叠加店铺券。",
    "收到货有任何问题请联系在线客服处理。",
    "{point}，{point2}，性价比很高。",
    "新款上市，{point}，欢迎选购。",
    "支持7天无理由退货，运费险已赠送。",
    "老客户回购率很高，欢迎进店看看。",
    "包装已升级，运输途中不易破损。",
    "{noun}{spec}，{point}，{point2}。",
)
_NEUTRAL = _CLEAN[3:4] + _CLEAN[7:8] + _CLEAN[9:10] + _CLEAN[14:15]
_CLEAN_GROUP = {
    "beauty": (
        "质地{texture}，上脸{point}。",
        "适合{skin}使用，{point}。",
        "开封后请在{n}个月内用完，置于阴凉处保存。",
        "化妆品备案信息可在国家药监局官网查询。",
        "保质期三年，生产日期见包装。",
        "{brand}{noun}，{point}，{point2}，日常通勤都能用。",
    ),
    "food": (
        "配料简单，{point}。",
        "保质期{n}个月，请置于阴凉干燥处。",
        "独立小包装，方便携带。",
        "食品生产许可证编号{sc}。",
        "开袋即食，{point}。",
        "{noun}产自{place}，{point2}。",
    ),
    "fashion": (
        "尺码{spec}，建议按平时尺码拍。",
        "{season}百搭款，{point}。",
        "{point}，{point2}，买家秀效果很好。",
    ),
    "luxury": (
        "附购买凭证、防尘袋和盒子。",
        "支持第三方鉴定，鉴定费由本店承担。",
        "九成新，边角有轻微使用痕迹，介意慎拍。",
        "国内专柜购入，小票齐全。",
    ),
    "goods": (
        "{point}，{point2}，家里人都说好用。",
        "{brand}{noun}，{point}，回购好几次了。",
        "{aud}都可以用，{point}。",
    ),
    "health": (
        "{brand}{noun}，{spec}，{point}。",
        "药房直发，支持开具电子发票。",
        "{point}，{point2}，{spec}。",
        "下单后24小时内发货，包装严密。",
        "家中常备，{spec}规格。",
        "有效期至{expiry}，请在有效期内使用。",
        "本店为正规药房，{point}。",
        "购买前请确认无禁忌症，详细信息见说明书。",
        "老人孩子用药请遵医嘱。",
    ),
}
_NEAR = (
    ("all", "最近咨询的顾客比较多，{noun}现货充足，下单当天发。"),
    ("all", "活动最后一天，今晚24点恢复原价。"),
    ("all", "第一次购买的新客可领{cut}元无门槛券。"),
    ("all", "可使用微信支付或支付宝付款，下单后在订单页查看物流。"),
    ("all", "订单号{order}的顾客，包裹已发出，请留意物流信息。"),
    ("all", "已发快递，运单号{waybill}，可在订单详情查询。"),
    ("all", "本店客服不会让您添加任何社交账号或私下转账，请认准平台下单。"),
    ("all", "官方客服热线{hotline}，工作日9:00-18:00。"),
    ("all", "收件人{masked_name}，电话{masked_phone}，地址已核对。"),
    ("all", "最近{n}天的订单都已发出，没收到的请联系客服。"),
    ("beauty food goods health", "原装进口，原厂包装未拆封。"),
    ("goods", "原厂配件，与主机适配。"),
    ("beauty food fashion goods", "第1件{price}元，第2件半价。"),
    ("beauty food fashion goods health", "产品执行国家标准{std}。"),
    ("food", "国家地理标志产品，{place}原产。"),
    ("apparel", "100%纯棉面料，吸汗透气。"),
    ("fresh_produce", "坏果包赔，签收后24小时内拍照联系客服。"),
    ("beauty baby", "本店支持过敏包退，放心试用。"),
    ("health", "一次性使用，独立包装，用后请妥善丢弃。"),
    ("food home", "附赠一次性手套和筷子。"),
    ("fashion", "第一次穿建议先手洗一遍。"),
    ("beauty", "第一次使用建议先在耳后试用。"),
    ("electronics", "第一次使用前请充满电。"),
)

_SPOKEN_CLEAN = (
    "家人们，欢迎来到直播间，今天给大家带来的是{brand}{noun}，{point}。",
    "宝宝们看一下这个{spec}的，{point2}，喜欢的去小黄车{n}号链接。",
    "刚进直播间的宝宝点点关注，我们每天晚上{h}点开播。",
    "来，扣1我看看有多少宝宝想要{noun}，人多的话我去跟老板申请福利。",
    "{n}号链接是{noun}，{spec}，今天拍一发二。",
    "这个效果大家看一下镜头，{point}，{point2}。",
    "3、2、1，上链接！库存{nn}单，拍完就没了。",
    "有问题的宝宝可以在评论区打出来，我一个一个回复。",
    "运费险已经给大家加上了，收到不满意可以退。",
    "宝宝们我再讲一下规格，{spec}，别拍错了。",
    "今天直播间下单送{gift}，拍下就送。",
    "助理把{n}号链接改一下价，{price}元。",
    "家人们，这个{noun}我自己在用，{point}，{point2}。",
    "没抢到的宝宝别着急，马上给大家补库存。",
    "关注主播不迷路，下次开播有新品。",
    "宝宝们拍下记得备注颜色，我们按备注发货。",
    "这款{brand}{noun}平时{price2}，今天直播间{price}。",
)
_SPOKEN_NEAR = (
    "最近好多宝宝问{noun}什么时候补货，今天补上了。",
    "今天是活动最后一天了家人们，明天恢复原价。",
    "第一次来直播间的宝宝，点个关注领新人券。",
    "付款可以用微信支付，也可以用支付宝，都是平台里付。",
    "订单号{order}的宝宝，你的包裹已经发了。",
    "这个是原厂正品，原装包装，你们放心。",
)
_CAPTION_CLEAN = (
    "{noun}开箱｜{point}，{spec}，挺满意的",
    "今日好物分享：{brand}{noun}，{point}",
    "{season}必备的{noun}，{point2}～",
    "上新啦！{brand}{noun}，{point}，小黄车自取",
    "谁懂啊，这个{noun}真的{point}",
    "跟着我一起看看这款{noun}的细节",
    "{place}探店｜买到了心心念念的{noun}",
    "好物合集第{n}弹，今天分享{noun}",
    "用了{days}的{noun}真实反馈：{point}，{point2}",
    "平价{noun}分享，{price}元入手",
    "宝子们，{noun}补货了，{spec}",
    "{brand}{noun}测评：{point}，缺点是{minus}",
    "记录一下今天的{noun}开箱",
    "直播回放｜{noun}讲解，{spec}",
    "这次买的{noun}包装很用心，{point}",
    "周末逛街顺手买的{noun}，{point2}",
)
_CAPTION_NEAR = (
    "最近入手的{noun}，{point}",
    "活动最后一天，{noun}{price}元，冲",
    "第一次买{brand}的{noun}，{point}",
    "{noun}开箱｜原装正品，{point}",
)
_HASHTAGS = {
    "cosmetics": _w("#美妆 #护肤 #化妆品分享 #好物分享"),
    "food": _w("#零食推荐 #吃货 #好物分享 #办公室零食"),
    "fresh_produce": _w("#水果 #家乡特产 #吃货 #当季水果"),
    "supplements": _w("#营养补充 #好物分享 #健身"),
    "apparel": _w("#穿搭 #ootd #今日穿搭 #好物分享"),
    "footwear": _w("#鞋子分享 #穿搭 #ootd"),
    "luxury": _w("#奢侈品 #中古 #包包分享 #好物分享"),
    "electronics": _w("#数码 #科技好物 #开箱"),
    "home": _w("#居家好物 #家居 #开箱"),
    "baby": _w("#母婴好物 #宝宝用品 #育儿"),
    "other": _w("#好物分享 #生活好物 #开箱"),
    "drugs": _w(
        "#家庭常备",
    ),
    "medical_devices": _w(
        "#家庭常备",
    ),
}
_OPENERS = _w("家人们， 宝宝们， 来来来， 姐妹们， 老铁们， 刚进直播间的宝宝们，")
_OPENER_WORDS = ("家人们", "宝宝们", "来", "姐妹们", "老铁们", "刚进")
_CAPTION_PREFIX = ("", "", "今日分享｜", "开箱｜", "好物推荐👉", "🔥", "上新｜")

_VIOLATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "ad.absolute_term": {
        "title": (
            "【{KR}】{title}",
            "{brand}{noun} {KA}{point} {spec}",
            "{title} {KR}",
            "{KA}{noun} {brand} {spec} {point}",
        ),
        "text": (
            "{brand}{noun}，{KA}的{noun}就是它，{point}。",
            "同价位里{KA}的{noun}，{point}，{spec}。",
            "我们家{noun}用料是{KA}的，{point2}，老客户都在回购。",
            "{noun}类目{KR}，{point}，下单就送{gift}。",
            "连续{n}年{KR}，{brand}{noun}值得信赖。",
            "这款{noun}可以说是{KA}，{point}，{point2}。",
            "全新升级，{KA}工艺，{spec}，{point}。",
            "{place}仓直发，{KA}的品质，价格只要{price}元。",
            "不用再比了，这就是{KA}的{noun}。",
            "{KR}的{brand}，{noun}口碑有目共睹。",
            "选{noun}认准{brand}，{KR}！{point}。",
            "原料选用{KA}的，{point}。",
            "{noun}里的天花板，{KA}，闭眼入不踩雷。",
            "{KA}的{noun}，同行都在模仿。",
        ),
        "spoken": (
            "家人们，这个{noun}是我用过{KA}的，真的，{point}！",
            "宝宝们听我说，{brand}这款{noun}，{KR}，不是我吹的。",
            "今天这个价格是{KA}，出了直播间就没有了，扣1上链接！",
            "来，刚进直播间的宝宝，这个{noun}{KR}，{point}，{n}号链接。",
            "姐妹们，{KA}的{noun}，我自己家里用了{n}年了。",
            "这个品质，{KA}的，你们去别家对比，3、2、1，上链接！",
            "{KR}啊家人们，库存就{nn}单，拍完就没了。",
            "我跟你们讲，{brand}就是{KR}，{point2}，扣个1我看看有多少人要。",
            "没有比这个更好的了宝宝们，{KA}，闭眼冲！",
            "这款{noun}{KA}，{point}，喜欢的宝宝直接去小黄车{n}号拍。",
            "老铁们，{KA}的{noun}，今天只要{price}。",
            "我们家{noun}，{KR}，不服的可以去比。",
        ),
    },
    "claim.medical": {
        "title": (
            "{brand}{noun} {K} {spec}",
            "【{K}】{brand}{noun}{spec}",
            "{noun}{spec} {K} {point}",
        ),
        "text": (
            "{noun}长期坚持用可以{K}，{spec}。",
            "坚持{days}，{K}，很多老顾客都反馈好了。",
            "{place}的老中医配方，专门{K}。",
            "我妈用了{days}，{K}效果明显，现在医院都不用去了。",
            "{noun}能{K}，比吃药强。",
            "不打针不吃药，{K}就靠它。",
            "天然成分，{K}，{point}。",
            "家里有老人的一定要囤，{K}。",
            "{noun}富含{nutrient}，可以{K}。",
            "别再花冤枉钱去医院了，{noun}{K}。",
            "医生朋友推荐的，{K}，{days}一个周期。",
            "我们这里的人都拿它来{K}，祖传方子。",
            "{K}，从根上调理，{brand}{noun}{spec}。",
            "很多顾客用它{K}，{point}。",
        ),
        "spoken": (
            "家人们，这个{noun}可以{K}，我爸用了{days}，现在好多了。",
            "家里有老人的宝宝们注意听，{noun}{K}，真的好用。",
            "来，我跟你们说，{K}不用去医院，就这一个{noun}。",
            "姐妹们，我自己就是用它{K}的，{days}就见好。",
            "扣1的宝宝我给你们讲，它能{K}，很多粉丝都反馈了。",
            "这个{noun}啊，{K}，比吃药强多了，上链接！",
            "直播间的家人们，{K}认准这个{noun}，{n}号链接。",
            "老铁们，我们这个是老方子，专门{K}的。",
            "{K}的，你们自己看评论区，好多人都说有用。",
            "不骗你们，{K}，我舅舅用了{days}，医生都说奇怪。",
            "你们家里有人需要{K}的，赶紧拍，库存不多了。",
            "宝宝们，这款{noun}主要就是{K}，天然的，放心用。",
        ),
    },
    "claim.efficacy_guarantee": {
        "title": (
            "{brand}{noun} {eff}{KG} {spec}",
            "【{KS}】{brand}{noun}{spec}",
            "{noun} {eff} {KG} {KS}",
        ),
        "text": (
            "{noun}{days}{eff}，{KG}。",
            "用了{days}就能{eff}，{KS}，放心下单。",
            "{KG}！{eff}看得见，{spec}。",
            "我们承诺{KS}，{days}{eff}，不满意直接退钱。",
            "{eff}{KG}，已经帮{nn}万人解决烦恼。",
            "纯天然成分，{KS}，孕妇老人都能用。",
            "{eff}，{KG}，{point}。",
            "{days}内不能{eff}，{KS}。",
            "{brand}{noun}{KG}，{eff}就是这么简单。",
            "只要坚持{days}，保证{eff}，{KS}。",
            "{eff}不再是难题，{KG}，{KS}。",
            "别人家做不到的我们做到了：{eff}，{KG}。",
            "{KS}，{eff}，{spec}。",
        ),
        "spoken": (
            "家人们，{KG}，{eff}，你们放心拍！",
            "我给你们打包票，{days}{eff}，{KS}！",
            "宝宝们，这个{noun}{KG}，不信你们买回去试。",
            "{KS}啊家人们，你们怕什么？",
            "今天直播间拍的，{days}{eff}，{KS}，我说到做到。",
            "我跟你们保证，{KG}，用完回来给我反馈。",
            "姐妹们，{eff}就这一个，{KG}，扣1上链接。",
            "没效果找我，{KS}，主播在这里给你们兜底。",
            "{KG}的宝宝们，用过的都知道，{eff}。",
            "老铁们，{noun}{KG}，而且{KS}，还犹豫什么？",
            "一次就能看到效果，{KG}，库存只有{nn}单。",
            "来来来，{eff}的，{KS}，小黄车{n}号。",
        ),
    },
    "marketing.sob_story": {
        "title": ("【{K}】{title}", "{K} {brand}{noun}{spec}", "{title} {K}"),
        "text": (
            "{K}，{noun}按成本价清，能卖一单是一单。",
            "{K}，这批{noun}亏本甩卖，只为回点本。",
            "说出来不怕大家笑话，{K}，只能出来卖{noun}。",
            "{K}，大家买一份就是帮我们一把。",
            "厂子欠了{nn}万，{K}，{noun}不赚钱处理。",
            "{K}，看在老人家的份上下一单吧。",
            "每卖出一单，我们就能给{who}多凑一点{need}，{K}。",
            "{K}……{noun}只要{price}元，包邮。",
            "{K}，我们一家人就指望这批{noun}了。",
            "本来不想说的，{K}，{noun}{spec}全部亏本出。",
            "{K}，求好心人帮帮忙，{noun}质量没问题。",
            "{who}还在医院，{K}，这些{noun}卖完我就回去。",
        ),
        "farm": (
            "{place}{produce}大丰收，可是{K}，{nn}万斤{produce}没人要。",
            "我是{place}的果农，{K}，求大家帮帮忙。",
            "今年遭遇{disaster}，{K}，{produce}再不卖就要烂了。",
            "家里老人七十多了还在地里摘{produce}，{K}。",
            "一家人全指望这{nn}亩{produce}了，{K}。",
            "我们村的{produce}{K}，好心人帮帮忙。",
        ),
        "spoken": (
            "家人们，我实在是没办法了，{K}，这{noun}你们随便拍点吧。",
            "宝宝们，{K}，今天这一场就是为了给{who}凑{need}。",
            "我不是来卖惨的，但是{K}……",
            "大家看看我身后这些{noun}，{K}，一单就帮了我们。",
            "{K}，我一边播一边哭，你们点点关注帮帮我。",
            "老铁们，厂子要倒了，{K}，{noun}全部成本价。",
            "谢谢家人们，{K}，每一单我都记在心里。",
            "我们家{K}，这些{noun}卖完我就回去照顾家里。",
            "宝宝们，扣个1帮我冲一冲，{K}，今天能不能卖出{nn}单就看你们了。",
            "说实话我都不想播了，{K}，可是不播一家人吃什么？",
            "今天不赚钱，{K}，能帮一把是一把。",
            "好心人拍一单吧，{K}，谢谢家人们了。",
        ),
    },
    "diversion.off_platform": {
        "title": ("{title} {KC}{H}领券", "【{KC}优惠】{brand}{noun}{spec}", "{title} {KT}更便宜"),
        "text": (
            "{KC}：{H}，{perk}。",
            "平台扣点太高，{KT}，每单便宜{nn}元。",
            "想要更便宜的{KC}（{H}），直接给你出厂价。",
            "拍下请先{KC}{H}，备注订单号，{perk}。",
            "{KQ}{qq}，群里每天发福利。",
            "需要定制的{KC}：{H}，{KT}发货更快。",
            "老客户{KC}{H}，下次直接{KT}，不用在平台拍。",
            "{noun}库存不多，链接随时下架，{KC}：{H}。",
            "{KQ}：{qq}，进群{perk}。",
            "不想等平台审核的，{KC}{H}。",
            "批发代理请{KC}：{H}，量大从优。",
            "主页看不到的款式{KC}{H}。",
            "{KT}的顾客额外送{gift}，{KC}{H}。",
            "售后直接{KC}{H}，{KT}退款更快。",
        ),
        "spoken": (
            "家人们，想要内部价的{KC}，{H}，我再念一遍，{H}。",
            "宝宝们，直播间拍太贵了，{KT}，便宜{nn}块。",
            "下了播{KC}，{H}，我私下给你们发福利。",
            "这个不在小黄车上，{KT}，懂的扣1。",
            "老粉都知道，{KQ}{qq}，群里发隐藏款。",
            "家人们别在这拍了，平台要扣钱，{KT}。",
            "主播的号就在我背后牌子上，{KC}，{H}，手快的先加。",
            "宝宝们记一下，{H}，{KC}备注直播间，送你{gift}。",
            "有要批发的{KC}，{H}，量大便宜。",
            "{KT}的宝宝今天给你们出厂价。",
            "想要{noun}的{KC}，{H}，{perk}。",
            "{KQ}的宝宝，{qq}，今晚群里秒杀。",
        ),
    },
    "pii.exposure": {
        "title": (),
        "text": (
            "恭喜{name}（手机{KM}）获得本期抽奖的{gift}。",
            "避雷这个买家：{name}，电话{KM}，收到货了还恶意退款。",
            "给{place}的{name}发货了，收件电话{KM}，注意查收。",
            "捡到一张身份证，{name}，号码{KI}，请失主找客服领取。",
            "店主实名信息：{name}，身份证{KI}，诚信经营。",
            "退款已打到{name}的卡上，卡号{KD}，请查收。",
            "中奖名单：{name} {KM}，{name2} {KM2}，请在三天内填写地址。",
            "上周下单的{name}，手机号{KM}，你的包裹被退回了。",
            "{name}，身份证号{KI}，这个人拍了不付款，大家小心。",
            "定制刻字样例：{name} {KM}，可刻姓名和电话。",
            "售后登记：{name} {KM}，问题已处理完毕。",
            "{name}的押金已原路退回，银行卡{KD}。",
            "粉丝{name}填错了收款信息，银行卡{KD}，请核对。",
            "快递单上写的{name} {KM}，这单备注的货已补发。",
        ),
        "spoken": (
            "恭喜{name}，手机号{KM}，你中了我们的{gift}！",
            "念一下中奖的宝宝：{KM}，还有{KM2}，快去后台填地址。",
            "这个{name}啊，电话{KM}，拍了不付款，大家以后别跟他做生意。",
            "刚才那个宝宝把身份证号都发出来了，{KI}，家人们别这样啊。",
            "助理，{name}的退款打到{KD}了没有？",
            "我念一下地址啊，{name}，{place}，电话{KM}，对吧？",
            "宝宝们我说下上次的获奖者，{name}，{KM}。",
            "给{name}补发的那单，电话是{KM}，助理记一下。",
            "这是我自己的身份证，{KI}，我们是正规商家。",
            "那个卡号{KD}是谁的？宝宝你发错了。",
            "{name}你好，电话{KM}打不通，你看到回一下。",
            "刚才那个{place}的{name}，{KM}，你的货已经发了。",
        ),
    },
    "ip.counterfeit_signal": {
        "title": (
            "{K}{KF}{noun} {spec}",
            "{KF}{noun} {K} {spec} {point}",
            "【{K}】{KF}{noun}{spec}",
        ),
        "text": (
            "{K}{KF}{noun}，细节对比专柜几乎一样。",
            "{KF}{noun}，{K}版本，走线五金全部对版。",
            "做工是{K}的级别，{price}就能拿到{KF}。",
            "{K}，和专柜{noun}放在一起分不出来。",
            "介意{K}的别拍，{KF}logo清晰，{spec}。",
            "{place}工厂{K}，原版开模，{spec}。",
            "{K}！{KF}同款{noun}，价格是专柜零头。",
            "{KF}{noun}{K}，配全套包装、防尘袋和小票。",
            "这一批是{K}货，数量不多，{spec}。",
            "{K}{KF}，可过得物鉴定。",
            "材质和正品一样，{K}，{point}。",
            "{KF}{noun}，{K}，细节图看主页。",
            "懂货的来，{K}{KF}，价格美丽。",
            "专柜{gp}元，我们{K}只要{price}。",
        ),
        "spoken": (
            "家人们，这个{KF}的{noun}，{K}的，专柜要{gp}，我们只要{price}。",
            "宝宝们懂的都懂，{K}，细节拉满。",
            "{K}啊，和正品放一起你根本分不出来。",
            "我们家是{place}的厂子，{K}{KF}，一手货源。",
            "这一款{K}，{KF}{noun}，上身跟正品一样。",
            "不要问是不是正品，{K}，介意的别拍。",
            "{KF}的{noun}，{K}版本，今天直播间{price}。",
            "老铁们，{K}{KF}，做工你们看镜头。",
            "扣1的宝宝，{K}的{KF}，给你们上链接。",
            "姐妹们，用出去没人看得出来是{K}。",
            "{K}，{KF}的logo、五金、走线都对版。",
            "专柜买不到的款，{K}{KF}，{n}号链接。",
        ),
    },
    "goods.prohibited": {
        "title": ("{K} {feat} {ship}", "【现货】{K}{spec} {feat}", "{K}{spec} {feat} {feat2}"),
        "text": (
            "{K}，{feat}，{ship}。",
            "出售{K}，{feat}，需要的直接拍。",
            "{K}现货，{feat}，老客户回购多。",
            "专业{K}，{feat}，{ship}。",
            "{K}{spec}，{feat}，懂的来。",
            "新到一批{K}，{feat}，数量有限。",
            "{ship}，{K}，{feat}。",
            "本店长期供应{K}，{feat}，{feat2}。",
            "{K}，品质保真，{ship}。",
            "便宜出{K}，{feat}，{price}元一份。",
            "{feat}的{K}，{ship}，拍下备注用途。",
            "{K}，{place}发货，{feat}。",
            "{K}到货，{feat}，拍下{time}发。",
        ),
        "spoken": (
            "家人们，{K}，{feat}，{ship}，要的扣1。",
            "这个{K}懂的都懂，我就不多说了，{n}号链接。",
            "宝宝们，{K}今天到货，{feat}。",
            "老铁们看一下，正宗{K}，{feat}。",
            "{K}，直播间专享价{price}，{ship}。",
            "不方便说太多，{K}，{feat}，要的直接拍。",
            "来，给大家展示一下这个{K}，{feat}。",
            "刚进来的宝宝，我们家主要卖{K}，{ship}。",
            "{K}啊家人们，{feat}，数量不多。",
            "这个{K}我们卖了{n}年了，老客户都知道，{ship}。",
            "想要{K}的宝宝，扣个要，我看看人数。",
            "{K}，{feat}，拍下{time}发货。",
        ),
    },
}

_KEYS: dict[str, dict[str, tuple[str, ...]]] = {
    "ad.absolute_term": {
        "KA": _w(
            "最好 最佳 最强 最优质 顶级 极品 国家级 世界级 最高端 最先进 最正宗 第一品牌 最受欢迎 全网最低价 史上最低价"
        ),
        "KR": _w("销量第一 行业第一 全网第一 全国第一 No.1 NO.1 TOP1 排名第一 第一品牌 全网最低价"),
    },
    "claim.medical": {
        "verbs": _w("治疗 治好 医治 治愈 缓解 预防 调理 改善 辅助治疗 消除 告别 远离"),
    },
    "claim.efficacy_guarantee": {
        "KG": _w(
            "100%有效 保证有效 立竿见影 一次见效 当天见效 包见效 永不反弹 保证见效 效果百分百"
        ),
        "KS": _w(
            "无效退款 无效全额退款 不见效全额退款 零风险 无任何副作用 百分百安全 100%安全 零副作用"
        ),
    },
    "marketing.sob_story": {
        "farm": _w("果子烂在地里 帮帮农户 爷爷奶奶在地头哭 卖不出去就要烂掉了 帮帮老农"),
        "K": _w(
            "家里遭了灾 老父亲病重 母亲住院等着钱做手术 孩子等着交学费 仓库被洪水淹了 工厂倒闭了 老公出车祸住院了 欠了一屁股债 一个人带着三个孩子 滞销求助 含泪清仓 家里就靠这点收入"
        ),
    },
    "diversion.off_platform": {
        "KC": _w("加微信 加V 加vx 加wx 加微 私我要微信 加我微信 加绿泡泡"),
        "KT": _w("扫码转账 支付宝转账 微信转账 私下转账 走微信 不走平台 线下交易 微信下单"),
        "KQ": _w("加QQ 进QQ群 加扣扣群 QQ群"),
    },
    "ip.counterfeit_signal": {
        "K": _w(
            "高仿 超A A货 复刻 1:1 一比一 原单 莆田 纯原 精仿 仿品 原厂尾单 外贸原单 高版本 公司级 非正品 同厂同料 代工厂流出"
        ),
    },
}

# --- evasion ---------------------------------------------------------------------------------


def _table(text: str) -> dict[str, tuple[str, ...]]:
    """`key=alt/alt; key=alt` as a mapping."""
    pairs = (entry.strip().partition("=") for entry in text.split(";"))
    return {key: tuple(alts.split("/")) for key, _, alts in pairs}


_SLANG = _table(
    "微信=V信/薇信/vx/wx/VX/威信/绿泡泡/卫星/徽信/薇❤; QQ=扣扣/企鹅/Q-Q/🐧/qq; 支付宝=zfb/吱付宝/支fu宝/ZFB;"
    "转账=转zhang/转帐/转·账; 高仿=高纺/GF/髙仿/高访; A货=A huo/Ａ货/a货; 复刻=复克/fk/複刻; 莆田=PT/蒲田/莆甜;"
    "1:1=1比1/1：1/１:１/1∶1; 原单=原dan/原単; 枪=木仓/qiang/槍; 发票=发漂/fp/發票/发piao;"
    "摄像头=摄像tou/摄相头/射像头; 窃听=窃厅/qie听; 象牙=象ya/象芽/大象的牙; 穿山甲=川山甲/穿山jia/鲮鲤;"
    "冰毒=冰du/溜冰料/冰糖; 大麻=da麻/大ma/🍁; 罂粟壳=米壳/婴粟壳/罂su壳; 笑气=笑qi/孝气/奶油气弹;"
    "第一=弟一/第1/di一/第①; 顶级=鼎级/顶ji/顶吉; 治疗=冶疗/zhi疗/治liao; 有效=有xiao/有効; 退款=退kuan/退銀子;"
    "100%=百分百/1OO%/百分之百; 最好=醉好/zui好/嘴好; 全网=全wang/全罔; 销量=销liang/消量;"
    "LV=驴家/L家/老花家; 爱马仕=H家/爱马; 香奈儿=小香/C家/香家; Gucci=G家/古家; 迪奥=D家/迪家;"
    "劳力士=劳家/R家; 卡地亚=K家/卡家; 巴黎世家=B家/巴黎家; Prada=P家/普家; 始祖鸟=鸟家/祖师爷;"
    "加拿大鹅=大鹅/鹅家; Moncler=蒙口/M家; Nike=N家/钩子; Air Jordan=AJ/乔家; Yeezy=椰子/Y家; 戴森=D家/戴s;"
    "AirPods=苹果耳机/A家耳机; 飞天茅台=飞天/茅子; 海蓝之谜=海蓝/LM家; 乐高=LG/乐g"
)
_HOMOPHONE = {
    w[0]: w[1:]
    for w in _w(
        "最醉蕞嘴 好郝号 佳嘉 强墙 级极吉 顶鼎 品拼 第弟递 国囯 低滴 治冶制 疗辽聊 愈俞瑜 效校笑 退腿 弹蛋 反返 保宝 证正 微薇威徽 信芯 仿纺访 货伙 刻克 单単 枪呛 毒独 票漂 灾哉 病柄 帮邦 农浓 牙芽 甲钾 麻嘛 针珍 孔控 摄设 头投 听厅 癌岩 血雪 压丫鸭 糖唐 尿鸟 炎盐 疹诊 痛通 风疯 眠棉 转砖 账帐 付符 群裙 加伽嘉 私丝 险显 销消 债寨"
    )
}
_PINYIN = {
    w[0]: w[1:]
    for w in _w(
        "最zui 好hao 佳jia 强qiang 级ji 顶ding 第di 一yi 国guo 治zhi 疗liao 愈yu 效xiao 退tui 款kuan 微wei 信xin 仿fang 高gao 货huo 刻ke 单dan 枪qiang 毒du 票piao 病bing 灾zai 癌ai 压ya 糖tang 血xue 风feng 险xian 弹tan 转zhuan 账zhang 群qun 牙ya 甲jia 麻ma 销xiao 债zhai 帮bang 烂lan 证zheng 睡shui 瘦shou"
    )
}
_TRAD = str.maketrans(
    "级国价网顶优强质极销业选疗压湿风节关肿肠癣脱发无见险弹证应货单复厂枪摄头听窃针镜开灾亲烂里帮农户医钱债闭难卖买学费术转账扫码宝线号这个为说时后会对过还没来进车长门问题经体图产种药脑养护肤纹紧减谢赚赔稳涨绝万岁热让们么样间东",
    "級國價網頂優強質極銷業選療壓濕風節關腫腸癬脫發無見險彈證應貨單復廠槍攝頭聽竊針鏡開災親爛裡幫農戶醫錢債閉難賣買學費術轉賬掃碼寶線號這個為說時後會對過還沒來進車長門問題經體圖產種藥腦養護膚紋緊減謝賺賠穩漲絕萬歲熱讓們麼樣間東",
)
_SEPARATORS = (
    " ",
    "*",
    "·",
    "-",
    "_",
    "|",
    "/",
    "~",
    ".",
    "\u200b",
    "丶",
    "❤",
    "🔥",
    "✨",
    "⭐",
    "💥",
    "👉",
)
_CN_DIGITS = ("零一二三四五六七八九", "零幺二三四五六七八九", "零壹贰叁肆伍陆柒捌玖")


def _fullwidth(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


def _insert(rng: random.Random, s: str) -> str:
    sep = rng.choice(_SEPARATORS)
    if rng.random() < 0.4:
        return sep.join(s)
    i = rng.randrange(1, len(s))
    return s[:i] + sep + s[i:]


def _swap_char(rng: random.Random, s: str, table: dict[str, str], pinyin: bool) -> str:
    spots = [i for i, c in enumerate(s) if c in table]
    if not spots:
        return s
    i = rng.choice(spots)
    new = table[s[i]] if pinyin else rng.choice(table[s[i]])
    if pinyin and rng.random() < 0.3:
        new = new.upper()
    return s[:i] + new + s[i + 1 :]


def _slang(rng: random.Random, s: str) -> str:
    hits = [k for k in _SLANG if k in s]
    if not hits:
        return s
    key = rng.choice(hits)
    return s.replace(key, rng.choice(_SLANG[key]), 1)


def _evade_text(rng: random.Random, s: str) -> str:
    """Disguise a phrase the way sellers dodge keyword filters."""
    methods: list[Callable[[str], str]] = [
        lambda v: _slang(rng, v),
        lambda v: _swap_char(rng, v, _HOMOPHONE, False),
        lambda v: _swap_char(rng, v, _PINYIN, True),
        lambda v: v.translate(_TRAD),
        lambda v: _fullwidth(v),
        lambda v: _insert(rng, v) if len(v) > 1 else v + rng.choice(_SEPARATORS),
    ]
    out = s
    for _ in range(1 if rng.random() < 0.7 else 2):
        for _attempt in range(4):
            candidate = rng.choice(methods)(out)
            if candidate != out:
                out = candidate
                break
    return out if out != s else _insert(rng, s)


def _evade_number(rng: random.Random, s: str) -> str:
    """A personal number written so that a naive digit regex misses it."""
    digits = s.replace(" ", "")
    style = rng.randrange(6)
    if style == 0:
        table = rng.choice(_CN_DIGITS)
        return "".join(table[int(c)] if c.isdigit() else c for c in digits)
    if style == 1:
        return _fullwidth(digits)
    if style == 2:
        sep = rng.choice(("-", " ", ".", "丨", "、"))
        cuts = (3, 7) if len(digits) == 11 else (6, 14) if len(digits) == 18 else (4, 8, 12, 16)
        parts = [digits[a:b] for a, b in zip((0, *cuts), (*cuts, None), strict=True)]
        return sep.join(p for p in parts if p)
    if style == 3:
        return " ".join(digits)
    if style == 4:
        table = _CN_DIGITS[0]
        half = len(digits) // 2
        return digits[:half] + "".join(table[int(c)] if c.isdigit() else c for c in digits[half:])
    return ("+86 " if len(digits) == 11 else "") + rng.choice(("/", "~", "—")).join(
        digits[i : i + 4] for i in range(0, len(digits), 4)
    )


def _evade(rng: random.Random, value: str) -> str:
    digits = value.replace(" ", "")
    if len(digits) >= 11 and digits.rstrip("X").isdigit():
        return _evade_number(rng, value)
    return _evade_text(rng, value)


# --- personal numbers ------------------------------------------------------------------------

_MOBILE_PREFIXES = _w(
    "130 131 132 133 134 135 136 137 138 139 147 150 151 152 153 155 156 157 158 159 166 172 173 "
    "175 176 177 178 180 181 182 183 184 185 186 187 188 189 191 193 195 198 199"
)
_REGIONS = _w(
    "110105 110108 310115 310104 440305 440106 330106 330102 510107 420106 320102 370202 "
    "610113 500103 430104 350203 210102 120101 410105 130102 530102 450103 230103 340104"
)
_CARD_BINS = _w("622202 622203 622208 621700 621790 622848 622845 622823")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _id_check(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def _luhn_digit(payload: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str(-total % 10)


def _luhn_ok(digits: str) -> bool:
    return digits.isdigit() and _luhn_digit(digits[:-1]) == digits[-1]


def _id_ok(value: str) -> bool:
    if len(value) != 18 or not value[:17].isdigit():
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return _id_check(value[:17]) == value[17].upper()


def looks_personal(run: str) -> bool:
    """Whether a run of digits (and X) reads as a mobile, ID or card number."""
    if len(run) == 11 and re.fullmatch(r"1[3-9]\d{9}", run):
        return True
    return _id_ok(run) or (16 <= len(run) <= 19 and _luhn_ok(run))


def phone(rng: random.Random) -> str:
    """A valid-looking mainland mobile number."""
    return rng.choice(_MOBILE_PREFIXES) + _digits(rng, 8)


def id_number(rng: random.Random) -> str:
    """A resident ID number with a real birth date and a correct GB 11643 check character."""
    born = date(1955, 1, 1) + timedelta(days=rng.randrange(18_600))
    first17 = f"{rng.choice(_REGIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + _id_check(first17)


def bank_card(rng: random.Random) -> str:
    """A Luhn-valid 16 or 19 digit debit card number with a mainland bank prefix."""
    payload = rng.choice(_CARD_BINS) + _digits(rng, rng.choice((16, 19)) - 7)
    return payload + _luhn_digit(payload)


def _reference(rng: random.Random, head: str, n: int) -> str:
    """An order or waybill number that cannot be read as a personal number."""
    while True:
        run = head + _digits(rng, n)
        if not looks_personal(run):
            return run


# --- slots -----------------------------------------------------------------------------------

_PLACES = _w(
    "北京 上海 广州 深圳 杭州 成都 武汉 西安 南京 重庆 长沙 郑州 沈阳 昆明 南宁 济南 义乌 临沂 苏州 厦门"
)
_SURNAMES = _w("王 李 张 刘 陈 杨 黄 赵 周 吴 徐 孙 马 朱 胡 郭 何 林 罗 高 欧阳")
_GIVEN = _w(
    "伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 浩然 子涵 雨桐"
)
_HANDLE_STEMS = _w(
    "xiaomei ayun lili tao meimei zhang chen wang lucky coco miya yoyo kiki sunny linlin"
)
_COMMON: dict[str, tuple[str, ...]] = {
    "place": _PLACES,
    "gift": _w("小样 试用装 收纳袋 同款小样 定制礼盒 湿巾一包 钥匙扣 运费险"),
    "days": _w("3天 7天 一周 半个月 一个月 21天 两周 三个月"),
    "season": _w("春季 夏季 秋冬 冬季 春秋"),
    "year": _w("2024 2025"),
    "sex": ("女", "男", "男女同款", ""),
    "nutrient": _w("花青素 膳食纤维 皂苷 多糖 黄酮 硒元素 负离子 远红外"),
    "perk": _w("有内部优惠价 返现更多 享受出厂价 发你隐藏款 领无门槛大额券 拿代理价 看更多实拍图"),
    "ship": _w("隐蔽发货 外包装无任何字样 顺丰包邮 当天发货 同城可送 快递单不写品名"),
    "time": _w("今晚 明早 24小时内 当天"),
    "h": _w("7 8 9 10"),
    "disaster": _w("暴雨 冰雹 干旱 台风 霜冻 洪水"),
    "who": _w("老父亲 老母亲 女儿 儿子 爷爷 奶奶"),
    "need": _w("医药费 手术费 学费 住院费"),
    "produce": _w("苹果 橙子 猕猴桃 红薯 土豆 芒果 柚子 砂糖橘 大蒜 洋葱 丑橘 梨 西瓜 山药"),
    "texture": _w("清爽 水润 绵密 轻薄 丝滑"),
    "skin": _w("干性肌肤 油性肌肤 混合性肌肤 各种肤质"),
    "fabric": _w("纯棉 聚酯纤维 羊毛混纺 真丝 牛仔布 莫代尔"),
    "height": _w("160 165 168 172 178 182"),
    "warranty": _w("一年质保 两年质保 三年质保"),
    "expiry": _w("2026年12月 2027年06月 2027年10月 2028年03月"),
    "minus": _w("颜色少 有点重 价格不算便宜 味道偏淡 发货慢了点"),
}


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _price(rng: random.Random, lo: float, hi: float) -> float:
    """A shop-style price (9.9, 49, 199, 2980 ...) between about `lo` and `hi` yuan."""
    v = math.exp(rng.uniform(math.log(lo), math.log(max(hi, lo))))
    if v < 30:
        return math.floor(v) + 0.9
    if v < 300:
        return float(int(v / 10) * 10 + rng.choice((9, 9.9, 8)))
    if v < 3000:
        return float(int(v / 100) * 100 + rng.choice((99, 80, 59)))
    return float(int(v / 1000) * 1000 + rng.choice((999, 800, 0, 500)))


@dataclass
class _Ctx:
    category: str
    group: str
    item: _Item
    brand: str | None
    price: float
    slots: dict[str, Slot]


def _pick_item(rng: random.Random, cat: _Cat, code: str | None) -> _Item:
    pools = {
        "claim.medical": cat.medical,
        "claim.efficacy_guarantee": cat.efficacy,
        "ip.counterfeit_signal": cat.fakes,
        "goods.prohibited": cat.banned,
    }
    return rng.choice(pools.get(code or "", cat.items))


def _context(rng: random.Random, category: str, code: str | None) -> _Ctx:
    cat = _CATS[category]
    group = cat.group
    item = _pick_item(rng, cat, code)
    price = _price(rng, item.lo, item.hi)
    genuine = price
    brand: str | None
    if code == "ip.counterfeit_signal":
        brand = rng.choice(item.extra)
        share = (0.02, 0.08) if category == "luxury" else (0.08, 0.3)
        price = _price(rng, genuine * share[0], genuine * share[1])
    elif code == "goods.prohibited":
        brand = None
    elif item.brand and code is None:
        brand = item.brand
    elif category == "luxury":
        brand = rng.choice(cat.brands) if item in cat.items else None
    elif code is None and cat.brands and rng.random() < 0.55:
        brand = rng.choice(cat.brands)
    else:
        brand = rng.choice(_OWN_BRANDS[group]) if rng.random() < 0.7 else None
    if brand == "-":
        brand = None

    def num(lo: int, hi: int) -> Callable[[], str]:
        return lambda: str(rng.randint(lo, hi))

    def indication() -> str:
        return "、".join(rng.sample(item.extra, min(len(item.extra), rng.randint(1, 3))))

    slots: dict[str, Slot] = dict(_COMMON)
    slots.update(
        brand=(brand or "",),
        noun=(item.noun,),
        spec=item.specs,
        point=cat.points or _w("现货"),
        aud=_AUDIENCE[group],
        tag=_TAGS.get(group, _TAGS[""]),
        std=_STANDARDS[group],
        price=(_fmt(price),),
        price2=(_fmt(_price(rng, price * 1.3, price * 2)),),
        gp=(_fmt(genuine),),
        n=num(2, 9),
        nn=num(12, 98),
        cut=num(5, 50),
        ind=indication,
        ind1=item.extra or ("",),
        eff=item.extra or ("",),
        feat=item.extra or ("",),
        name=lambda: rng.choice(_SURNAMES) + rng.choice(_GIVEN),
        masked_name=lambda: rng.choice(_SURNAMES) + "*",
        masked_phone=lambda: (lambda p: p[:3] + "****" + p[-4:])(phone(rng)),
        H=lambda: (
            rng.choice(_HANDLE_STEMS) + rng.choice(("", "_", "-")) + str(rng.randint(10, 9999))
        ),
        qq=lambda: str(rng.randint(20_000_000, 3_999_999_999)),
        order=lambda: _reference(rng, rng.choice("2456"), 18),
        waybill=lambda: rng.choice(
            (
                lambda: "SF" + _reference(rng, "1", 12),
                lambda: _reference(rng, "78", 12),
                lambda: "YT" + _reference(rng, "8", 12),
                lambda: "JDX0" + _reference(rng, "", 11),
            )
        )(),
        hotline=lambda: f"400-{_digits(rng, 3)}-{_digits(rng, 4)}",
        sc=lambda: "SC" + _reference(rng, "1", 13),
        appr=lambda: (
            rng.choice("ZH") + rng.choice(("2005", "2002", "4402", "5102")) + _digits(rng, 4)
        ),
        reg=lambda: (
            rng.choice(_w("苏械注准 浙械注准 粤械注准 国械注准")) + _reference(rng, "20", 9)
        ),
        KM=lambda: phone(rng),
        KI=lambda: id_number(rng),
        KD=lambda: (
            bank_card(rng) if rng.random() < 0.6 else " ".join(re.findall(".{1,4}", bank_card(rng)))
        ),
        K=lambda: item.noun,
        KF=(brand or "",),
    )
    slots.update(_KEYS.get(code or "", {}))
    if code == "claim.medical":
        verbs = _KEYS["claim.medical"]["verbs"]
        slots["K"] = lambda: rng.choice(verbs) + rng.choice(item.extra)
    elif code == "marketing.sob_story":
        farm = _KEYS[code]["farm"] if category in ("food", "fresh_produce") else ()
        slots["K"] = _KEYS[code]["K"] + farm
    elif code == "ip.counterfeit_signal":
        slots["K"] = _KEYS[code]["K"]
    return _Ctx(category, group, item, brand, price, slots)


_SLOT_RE = re.compile(r"\{(\w+)\}")


def _render(rng: random.Random, template: str, ctx: _Ctx, evasive: bool) -> str:
    chosen: dict[str, str] = {}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in chosen:
            return chosen[name]
        base = name if name in ctx.slots else name.rstrip("0123456789")
        source = ctx.slots[base]
        value = ""
        for _ in range(6):
            value = source() if callable(source) else rng.choice(source)
            if value not in chosen.values():
                break
        chosen[name] = value
        if evasive and name.startswith("K") and value:
            chosen[name] = _evade(rng, value)
        return chosen[name]

    return _SLOT_RE.sub(fill, template)


def _tidy(title: str) -> str:
    return re.sub(r" {2,}", " ", title).strip()


def _clean_pool(ctx: _Ctx) -> tuple[str, ...]:
    common = _NEUTRAL if ctx.group == "health" else _CLEAN
    return common + _CLEAN_GROUP[ctx.group] + _CATS[ctx.category].clean


def _near_pool(ctx: _Ctx) -> tuple[str, ...]:
    return tuple(t for where, t in _NEAR if {"all", ctx.group, ctx.category} & set(where.split()))


def _sentences(rng: random.Random, ctx: _Ctx, pool: Sequence[str], k: int) -> list[str]:
    picked = rng.sample(list(pool), k)
    return [_render(rng, t, ctx, False) for t in picked]


def _check(category: str | None, code: str | None) -> None:
    if category is not None and category not in _CATS:
        raise ValueError(f"unknown category {category!r}")
    if code is not None and code not in CODES:
        raise ValueError(f"unknown violation code {code!r}")


def _violation_text(rng: random.Random, ctx: _Ctx, code: str, part: str, evasive: bool) -> str:
    templates = _VIOLATIONS[code][part]
    if code == "marketing.sob_story" and part == "text" and ctx.category == "fresh_produce":
        templates = templates + _VIOLATIONS[code]["farm"] * 2
    return _render(rng, rng.choice(templates), ctx, evasive)


_TITLE_SHARE = {
    "ad.absolute_term": 0.35,
    "claim.medical": 0.3,
    "claim.efficacy_guarantee": 0.25,
    "marketing.sob_story": 0.15,
    "diversion.off_platform": 0.15,
    "pii.exposure": 0.0,
    "ip.counterfeit_signal": 0.45,
    "goods.prohibited": 1.0,
}


def listing(
    rng: random.Random, category: str, code: str | None, *, evasive: bool = False
) -> tuple[str, str, str | None, float]:
    """(title, text, brand or None, price in yuan) of a listing in `category`.

    With `code` the title or the text commits exactly that violation, disguised when
    `evasive`; without it the listing is clean, and about one in four is a near miss.
    For drugs and medical devices a `claim.medical` listing is a non-drug sold in that category.
    """
    _check(category, code)
    ctx = _context(rng, category, code)
    clean_title = _render(rng, rng.choice(_TITLES[ctx.group]), ctx, False)
    ctx.slots["title"] = (clean_title,)
    if code is None:
        near = rng.random() < 0.25
        body = _sentences(rng, ctx, _clean_pool(ctx), rng.randint(1, 2 if near else 3))
        if near:
            sentence = _render(rng, rng.choice(_near_pool(ctx)), ctx, False)
            body.insert(rng.randrange(len(body) + 1), sentence)
        return _tidy(clean_title), "".join(body), ctx.brand, ctx.price
    filler: tuple[str, ...] = _CLEAN
    if code == "goods.prohibited":
        filler = _NEUTRAL
    elif ctx.group == "health":
        filler = _NEUTRAL + _CLEAN_GROUP["health"]
    body = _sentences(rng, ctx, filler, rng.randint(0 if code == "goods.prohibited" else 1, 2))
    if rng.random() < _TITLE_SHARE[code]:
        title = _violation_text(rng, ctx, code, "title", evasive)
        if code == "goods.prohibited" and rng.random() < 0.6:
            body.insert(0, _violation_text(rng, ctx, code, "text", evasive))
        if not body:
            body = _sentences(rng, ctx, _NEUTRAL, 1)
    else:
        title = clean_title
        body.insert(rng.randrange(len(body) + 1), _violation_text(rng, ctx, code, "text", evasive))
    return _tidy(title), "".join(body), ctx.brand, ctx.price


_CONTENT_CATEGORIES = {
    "claim.medical": (
        "cosmetics",
        "food",
        "fresh_produce",
        "supplements",
        "home",
        "apparel",
        "other",
    ),
    "ip.counterfeit_signal": ("luxury", "footwear", "apparel", "cosmetics", "electronics"),
    "goods.prohibited": ("electronics", "home", "luxury", "food", "other", "drugs", "apparel"),
}
_EVERYDAY = tuple(c for c in CATEGORIES if _GROUP_OF[c] != "health")


def content(
    rng: random.Random, code: str | None, *, kind: str = "caption", evasive: bool = False
) -> str:
    """A creator's short-video caption (`caption`) or a live-stream transcript snippet
    (`transcript`); with `code` it commits exactly that violation, else it is clean."""
    _check(None, code)
    if kind not in ("caption", "transcript"):
        raise ValueError(f"unknown content kind {kind!r}")
    category = rng.choice(_CONTENT_CATEGORIES.get(code or "", _EVERYDAY))
    ctx = _context(rng, category, code)
    near = code is None and rng.random() < 0.25
    if kind == "transcript":
        parts: list[str] = []
        if code is None:
            parts += _sentences(rng, ctx, _SPOKEN_CLEAN, rng.randint(1, 2))
            if near:
                sentence = _render(rng, rng.choice(_SPOKEN_NEAR), ctx, False)
                parts.insert(rng.randrange(len(parts) + 1), sentence)
        else:
            parts.append(_violation_text(rng, ctx, code, "spoken", evasive))
            if code != "goods.prohibited" and rng.random() < 0.5:
                parts += _sentences(rng, ctx, _SPOKEN_CLEAN, 1)
        spoken = "".join(parts)
        if rng.random() < 0.35 and not spoken.startswith(_OPENER_WORDS):
            spoken = rng.choice(_OPENERS) + spoken
        return spoken
    if code is None:
        pool = _CAPTION_NEAR if near else _CAPTION_CLEAN
        text = _render(rng, rng.choice(pool), ctx, False)
    else:
        text = _violation_text(rng, ctx, code, "text", evasive)
        if code != "goods.prohibited" and rng.random() < 0.3:
            text += _render(rng, rng.choice(_CAPTION_CLEAN), ctx, False)
    text = rng.choice(_CAPTION_PREFIX) + text
    if rng.random() < 0.5:
        hashtags = _HASHTAGS[category]
        tags = rng.sample(list(hashtags), min(len(hashtags), rng.randint(1, 3)))
        text += " " + " ".join(tags)
    return text
