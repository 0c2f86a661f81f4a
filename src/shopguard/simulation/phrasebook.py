"""The clean and near-miss sentence pools of listings, captions and live streams: titles,
body sentences, spoken lines, captions, hashtags and openers."""

from __future__ import annotations

from shopguard.simulation.catalog import words

# Slots in braces; slots whose name starts with "K" carry the violation and are disguised when
# `evasive`. A trailing digit draws a second, different value from the same source.

TITLES = {
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

CLEAN = (
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
NEUTRAL = CLEAN[3:4] + CLEAN[7:8] + CLEAN[9:10] + CLEAN[14:15]
CLEAN_GROUP = {
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
NEAR = (
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

SPOKEN_CLEAN = (
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
SPOKEN_NEAR = (
    "最近好多宝宝问{noun}什么时候补货，今天补上了。",
    "今天是活动最后一天了家人们，明天恢复原价。",
    "第一次来直播间的宝宝，点个关注领新人券。",
    "付款可以用微信支付，也可以用支付宝，都是平台里付。",
    "订单号{order}的宝宝，你的包裹已经发了。",
    "这个是原厂正品，原装包装，你们放心。",
)
CAPTION_CLEAN = (
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
CAPTION_NEAR = (
    "最近入手的{noun}，{point}",
    "活动最后一天，{noun}{price}元，冲",
    "第一次买{brand}的{noun}，{point}",
    "{noun}开箱｜原装正品，{point}",
)
HASHTAGS = {
    "cosmetics": words("#美妆 #护肤 #化妆品分享 #好物分享"),
    "food": words("#零食推荐 #吃货 #好物分享 #办公室零食"),
    "fresh_produce": words("#水果 #家乡特产 #吃货 #当季水果"),
    "supplements": words("#营养补充 #好物分享 #健身"),
    "apparel": words("#穿搭 #ootd #今日穿搭 #好物分享"),
    "footwear": words("#鞋子分享 #穿搭 #ootd"),
    "luxury": words("#奢侈品 #中古 #包包分享 #好物分享"),
    "electronics": words("#数码 #科技好物 #开箱"),
    "home": words("#居家好物 #家居 #开箱"),
    "baby": words("#母婴好物 #宝宝用品 #育儿"),
    "other": words("#好物分享 #生活好物 #开箱"),
    "drugs": words(
        "#家庭常备",
    ),
    "medical_devices": words(
        "#家庭常备",
    ),
}
OPENERS = words("家人们， 宝宝们， 来来来， 姐妹们， 老铁们， 刚进直播间的宝宝们，")
OPENER_WORDS = ("家人们", "宝宝们", "来", "姐妹们", "老铁们", "刚进")
CAPTION_PREFIX = ("", "", "今日分享｜", "开箱｜", "好物推荐👉", "🔥", "上新｜")
