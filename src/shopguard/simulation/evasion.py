"""How sellers disguise a violating phrase or a personal number to dodge keyword filters:
slang, homophones, pinyin, traditional characters, full-width forms and separators."""

from __future__ import annotations

import random
from collections.abc import Callable

from shopguard.simulation.catalog import words


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
    for w in words(
        "最醉蕞嘴 好郝号 佳嘉 强墙 级极吉 顶鼎 品拼 第弟递 国囯 低滴 治冶制 疗辽聊 愈俞瑜 效校笑 退腿 弹蛋 反返 保宝 证正 微薇威徽 信芯 仿纺访 货伙 刻克 单単 枪呛 毒独 票漂 灾哉 病柄 帮邦 农浓 牙芽 甲钾 麻嘛 针珍 孔控 摄设 头投 听厅 癌岩 血雪 压丫鸭 糖唐 尿鸟 炎盐 疹诊 痛通 风疯 眠棉 转砖 账帐 付符 群裙 加伽嘉 私丝 险显 销消 债寨"
    )
}
_PINYIN = {
    w[0]: w[1:]
    for w in words(
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


def evade(rng: random.Random, value: str) -> str:
    digits = value.replace(" ", "")
    if len(digits) >= 11 and digits.rstrip("X").isdigit():
        return _evade_number(rng, value)
    return _evade_text(rng, value)
