"""The screening core on the default pack: each code, its evasions and its near misses."""

from __future__ import annotations

from typing import Any

import pytest

from shopguard.screening.schemas import parse_item
from shopguard.text.compiler import CompiledPolicy
from shopguard.text.engine import screen, screen_item
from shopguard.text.model import Decision
from tests.support.factories import id_number, item, luhn_card


def run(policy: CompiledPolicy, text: str, **fields: Any) -> Decision:
    return screen_item(parse_item(item(text, **fields)), policy)


@pytest.mark.parametrize(
    "text, code",
    [
        ("全网最低价，手慢无", "ad.absolute_term"),
        ("最*好用的洗面奶", "ad.absolute_term"),
        ("Ｎｏ．１ 的口碑", "ad.absolute_term"),
        ("國家級工藝", "ad.absolute_term"),
        ("同类产品销量第1", "ad.absolute_term"),
        ("100%有效，无效退款", "claim.efficacy_guarantee"),
        ("坚持7天瘦10斤", "claim.efficacy_guarantee"),
        ("立竿见影，永不反弹", "claim.efficacy_guarantee"),
        ("想要优惠加薇信 abc_123", "diversion.off_platform"),
        ("vx：shop_8899 私聊", "diversion.off_platform"),
        ("加我 12345678 拿内部价", "diversion.off_platform"),
        ("顶级复刻 原单尾货", "ip.counterfeit_signal"),
        ("正品1:1做工，细节还原", "ip.counterfeit_signal"),
        ("出售针孔摄像头", "goods.prohibited"),
        ("代开发票 各类税点", "goods.prohibited"),
    ],
)
def test_each_code_is_detected(policy: CompiledPolicy, text: str, code: str) -> None:
    assert code in run(policy, text).codes


@pytest.mark.parametrize(
    "text",
    [
        "最近天气冷了，注意保暖",
        "活动最后一天，第一次购买送小样",
        "产品符合国家标准 GB 2760",
        "支持微信支付和支付宝",
        "原装进口，原厂配件",
        "订单号 4598123376012345678，顺丰 SF1402938475612",
        "面粉和水1:1混合揉面",
        "儿童玩具水枪，夏天玩水必备",
        "复古风格连衣裙",
        "不满意七天无理由退货",
        "客服热线 400-820-8820",
        "您最好提前一天下单",
    ],
)
def test_near_misses_stay_clean(policy: CompiledPolicy, text: str) -> None:
    decision = run(policy, text)
    assert decision.action.value == "allow", decision.violations


def test_medical_claims_depend_on_category(policy: CompiledPolicy) -> None:
    text = "有效治疗高血压，降血压"
    assert "claim.medical" in run(policy, text, category="supplements").codes
    assert run(policy, text, category="drugs").codes == set()
    assert run(policy, text, category="medical_devices").codes == set()


def test_treatment_verb_near_a_disease_is_a_medical_claim(policy: CompiledPolicy) -> None:
    decision = run(policy, "喝了这个茶能缓解痛风", category="food")
    (violation,) = [v for v in decision.violations if v.code == "claim.medical"]
    assert violation.match == "缓解痛风"


def test_sob_story_needs_hardship_plea_and_selling(policy: CompiledPolicy) -> None:
    pitch = "家里老人生病住院了，求求大家帮帮忙，下单买点苹果吧"
    assert "marketing.sob_story" in run(policy, pitch, kind="content").codes
    news = "家里老人生病住院了，这周直播暂停，大家保重身体"
    assert run(policy, news, kind="content").codes == set()
    plea_only = "求求大家帮帮忙点个关注"
    assert run(policy, plea_only, kind="content").codes == set()


def test_pii_evidence_is_masked_and_points_at_the_original(policy: CompiledPolicy) -> None:
    text = f"联系 138-1234-5678，身份证 {id_number()}，卡 {luhn_card()}"
    decision = run(policy, text)
    pii = [v for v in decision.violations if v.code == "pii.exposure"]
    assert len(pii) == 3
    assert decision.action.value == "block"
    for v in pii:
        assert text[v.start : v.end] != v.match  # the clear value is never the evidence
        assert "*" in v.match
    assert pii[0].match == "138****5678"
    assert text[pii[0].start : pii[0].end] == "138-1234-5678"


def test_offsets_point_at_what_the_merchant_wrote(policy: CompiledPolicy) -> None:
    text = "这是最 * 好的面霜"
    (v,) = run(policy, text).violations
    assert (v.field, text[v.start : v.end], v.match) == ("text", "最 * 好", "最 * 好")


def test_title_and_text_are_both_screened(policy: CompiledPolicy) -> None:
    decision = run(policy, "普通描述", title="顶级面霜")
    assert [(v.field, v.match) for v in decision.violations] == [("title", "顶级")]


def test_absolute_term_alone_is_reviewed_but_blocked_with_other_codes(
    policy: CompiledPolicy,
) -> None:
    assert run(policy, "全网最低价").action.value == "review"
    combined = run(policy, "全网最低价，无效退款", category="cosmetics")
    assert combined.action.value == "block"


def test_cel_condition_uses_price_and_brand(policy: CompiledPolicy) -> None:
    cheap = run(policy, "专柜正品女包", category="luxury", brand="LV", price=199)
    assert "ip.counterfeit_signal" in cheap.codes
    dear = run(policy, "专柜正品女包", category="luxury", brand="LV", price=12800)
    assert dear.codes == set()
    no_price = run(policy, "专柜正品女包", category="luxury", brand="LV")
    assert no_price.codes == set()


def test_screen_keeps_order_and_records_the_policy_version(policy: CompiledPolicy) -> None:
    items = [parse_item(item(t)) for t in ("你好", "顶级", "加微信")]
    decisions = screen(items, policy)
    assert [d.id for d in decisions] == [i.id for i in items]
    assert {d.policy_version for d in decisions} == {policy.version}
    assert policy.version.startswith("cn-default@")


@pytest.mark.parametrize(
    "text",
    [
        "平台规定不能加微信哦，有问题在这里留言",
        "凡是让你加微信私下转账的都是骗子",
        "不是仿品，自家工厂设计",
        "无效退款这种话千万别信",
    ],
)
def test_negations_and_disclaimers_cancel_a_match(policy: CompiledPolicy, text: str) -> None:
    assert run(policy, text, kind="content").codes == set()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("这款是目前市面上zui强的", "ad.absolute_term"),
        ("国货di一品牌", "ad.absolute_term"),
        ("手机壳 🅣🅞🅟1 防摔", "ad.absolute_term"),
        ("jia wei xin: cc_pets 批发价", "diversion.off_platform"),
        ("v❤️：fishing_king 批发价拿货", "diversion.off_platform"),
        ("➕🛰 gou_lao 走线下", "diversion.off_platform"),
        ("电话１３０３８９２２０６５", "pii.exposure"),
        ("挪车请打151 046 88880", "pii.exposure"),
    ],
)
def test_newer_evasions(policy: CompiledPolicy, text: str, code: str) -> None:
    assert code in run(policy, text, kind="content").codes


def test_a_negation_only_cancels_what_it_touches(policy: CompiledPolicy) -> None:
    decision = run(policy, "价格不贵，加微信 abc_123 拿货", kind="content")
    assert "diversion.off_platform" in decision.codes


def test_a_quoted_word_is_a_mention_not_a_claim(policy: CompiledPolicy) -> None:
    text = "提醒：标题不能写‘最好’‘第一’这类词，直播间出现“根治”等话术要警惕"
    assert run(policy, text, kind="content").codes == set()


def test_spoken_numbers_are_personal_data(policy: CompiledPolicy) -> None:
    decision = run(policy, "中奖的手机号幺八二，七八六五，二二三七，恭喜", kind="content")
    (v,) = [v for v in decision.violations if v.code == "pii.exposure"]
    assert v.match == "182****2237"


def test_no_evidence_carries_a_clear_number(policy: CompiledPolicy) -> None:
    text = "二手显示器，电话13812345678，订货打我电话 139-1234-5678，微信同号"
    decision = run(policy, text, category="electronics")
    assert {"diversion.off_platform", "pii.exposure"} <= decision.codes
    for v in decision.violations:
        assert "13812345678" not in v.match
        assert "1234-5678" not in v.match
