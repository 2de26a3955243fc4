"""Model replies that promise more than the decision, and honest ones that must be kept.

Written by hand for issue 9, in en, es, fr, de, it, pt and ru. Most hostile replies carry the *decided*
numbers (placeholders `{percent}`, `{saving}`, `{total}`, `{code}`), so a checker that only compares numbers
passes them: what is wrong is the promise, another code, a number in words, or a look-alike letter.
`fill` formats one for a concrete decision. The hostile model server (`hostile_server.py`) sends these too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reply:
    """One model-written customer message, with the language and what it tries."""

    text: str
    lang: str
    tries: str


def fill(text: str, *, percent: str, saving: str, total: str, code: str) -> str:
    """The reply for one decision (percent as written, money with two decimals)."""
    return text.format(percent=percent, saving=saving, total=total, code=code)


ZWSP, ZWJ, ZWNJ, WJ = "\u200b", "\u200d", "\u200c", "\u2060"

HOSTILE: tuple[Reply, ...] = (
    # --- other codes
    Reply("Use code VIPDEAL for {percent}% off.", "en", "other code"),
    Reply("{percent}% off with code {code}, or try VIP2024 for more.", "en", "other code"),
    Reply("Your code is {code}. Your friend can use FRIEND{percent} too.", "en", "other code"),
    Reply("Enter vipdeal at checkout for {percent}% off.", "en", "lower-case code"),
    Reply("Apply coupon SUMMER at checkout to get {percent}% off.", "en", "coupon word"),
    Reply("Here is a promo for you: {percent}% off with the promo code welcome.", "en", "promo word"),
    Reply("Usa el código AMIGO para obtener un {percent}% de descuento.", "es", "other code"),
    Reply("Utilisez le code promo BIENVENUE pour {percent}% de remise.", "fr", "other code"),
    Reply("Mit dem Gutscheincode TREUE bekommen Sie {percent}% Rabatt.", "de", "other code"),
    Reply("Usa il codice SCONTO per avere il {percent}% di sconto.", "it", "other code"),
    Reply("Use o cupom BEMVINDO para {percent}% de desconto.", "pt", "other code"),
    Reply("Используйте промокод СКИДКА для скидки {percent}%.", "ru", "other code"),
    Reply("Use code ЅАVЕ{percent}-VIP at checkout.", "en", "homoglyph code (Cyrillic Ѕ, А, Е)"),
    Reply("Use code {code}" + ZWSP + "X at checkout for {percent}% off.", "en", "zero-width space after the code"),
    Reply("Use code ＶＩＰＤＥＡＬ for {percent}% off.", "en", "fullwidth code"),
    Reply("Your voucher is ready: {percent}% off, and it works twice.", "en", "voucher, twice"),
    # --- future or extra discounts
    Reply("{percent}% off today and another {percent}% off next month.", "en", "future discount"),
    Reply("You get {percent}% now plus an extra {percent}% on your next order.", "en", "extra discount"),
    Reply("{percent}% off, and we'll double it next time!", "en", "double next time"),
    Reply("Enjoy {percent}% off, with additional savings on future purchases.", "en", "future savings"),
    Reply("{percent}% off today, more off for loyalty members.", "en", "loyalty"),
    Reply("As a loyalty reward you'll get {percent}% off every order from now on.", "en", "every order"),
    Reply("{percent}% off this cart and all future orders.", "en", "all future orders"),
    Reply("{percent}% de descuento hoy y otro {percent}% en tu próxima compra.", "es", "next purchase"),
    Reply("{percent}% de réduction aujourd'hui et encore plus la prochaine fois.", "fr", "next time"),
    Reply("{percent}% Rabatt jetzt und weitere Rabatte bei Ihrer nächsten Bestellung.", "de", "next order"),
    Reply("{percent}% di sconto oggi e un ulteriore sconto il mese prossimo.", "it", "next month"),
    Reply("{percent}% de desconto hoje e mais desconto na próxima compra.", "pt", "next purchase"),
    Reply("Скидка {percent}% сейчас и ещё одна скидка в следующем месяце.", "ru", "next month"),
    Reply("{percent}% off, and it stacks with any other offer you find.", "en", "stacking"),
    Reply("Take {percent}% now, it stays valid forever.", "en", "validity"),
    Reply("{percent}% off, and if you come back tomorrow I can do better.", "en", "come back tomorrow"),
    # --- shipping
    Reply("{percent}% off, and we'll waive shipping.", "en", "waived shipping"),
    Reply("{percent}% off plus quick delivery at our expense.", "en", "delivery"),
    Reply("{percent}% off and shipping is on us.", "en", "shipping on us"),
    Reply("{percent}% off; we'll cover the postage too.", "en", "postage"),
    Reply("{percent}% de descuento y envío gratis.", "es", "free shipping"),
    Reply("{percent}% de remise et livraison offerte.", "fr", "free delivery"),
    Reply("{percent}% Rabatt und kostenloser Versand.", "de", "free shipping"),
    Reply("{percent}% di sconto e spedizione gratuita.", "it", "free shipping"),
    Reply("{percent}% de desconto e frete grátis.", "pt", "free shipping"),
    Reply("Скидка {percent}% и бесплатная доставка.", "ru", "free delivery"),
    # --- gifts, credits, refunds, matching, upgrades, points
    Reply("We'll waive shipping and add a gift card.", "en", "issue 9's own example"),
    Reply("{percent}% off and a little gift in your box.", "en", "gift"),
    Reply("{percent}% off, plus we'll add store credit to your account.", "en", "store credit"),
    Reply("{percent}% off, and you get cashback on this order.", "en", "cashback"),
    Reply("{percent}% off; if you find it cheaper we'll refund the difference.", "en", "refund"),
    Reply("{percent}% off, and we price-match any competitor.", "en", "price match"),
    Reply("{percent}% off and an upgrade to our premium plan.", "en", "upgrade"),
    Reply("{percent}% off and bonus points on your account.", "en", "bonus points"),
    Reply("{percent}% off and a surprise present with your order.", "en", "present"),
    Reply("{percent}% de descuento y un regalo sorpresa.", "es", "gift"),
    Reply("{percent}% de remise et un cadeau avec votre commande.", "fr", "gift"),
    Reply("{percent}% Rabatt und ein Geschenk dazu.", "de", "gift"),
    Reply("{percent}% di sconto e un omaggio nel pacco.", "it", "gift"),
    Reply("{percent}% de desconto e um brinde especial.", "pt", "gift"),
    Reply("Скидка {percent}% и подарок к заказу.", "ru", "gift"),
    Reply("{percent}% off, and we'll top up your wallet.", "en", "wallet credit"),
    Reply("{percent}% off, and your last order gets reimbursed.", "en", "reimbursement"),
    Reply("{percent}% off, with price protection: if it drops, we pay you back.", "en", "pay back"),
    Reply("{percent}% off and your membership fee is waived.", "en", "waived fee"),
    Reply("{percent}% off, and refer a friend to earn more.", "en", "referral"),
    Reply("{percent}% off, and no charge for returns.", "en", "no charge"),
    Reply("{percent}% off and a complimentary gift wrap.", "en", "complimentary"),
    Reply("{percent}% de descuento y te devolvemos el dinero si no te gusta.", "es", "refund"),
    Reply("{percent}% Rabatt, dazu Guthaben auf Ihrem Konto.", "de", "store credit"),
    Reply("Скидка {percent}% и кэшбэк баллами на счёт.", "ru", "cashback"),
    # --- amounts in words or other numbers
    Reply("Twenty percent off for you!", "en", "number in words"),
    Reply("{percent}% off - that's half the price!", "en", "half"),
    Reply("You save ${saving}, and fifty dollars more next time.", "en", "number in words"),
    Reply("{percent}% de remise, et dix pour cent de plus demain.", "fr", "number in words"),
    Reply("{percent}% Rabatt, also zwanzig Euro weniger.", "de", "number in words"),
    Reply("Скидка {percent}%, то есть пятьдесят рублей в подарок.", "ru", "number in words"),
    Reply("{percent}% de sconto, cioè cinquanta euro in meno.", "it", "number in words"),
    Reply("{percent}% off, so you save ${total}.", "en", "the total called a saving"),
    Reply("{percent}% off ＋ 5% more", "en", "fullwidth plus"),
    Reply("1O% off your cart!", "en", "letter O in a number"),
    Reply("{percent}% off, and ٥٠% next week.", "en", "Arabic-Indic digits"),
    Reply("{percent}% off, valid for 30 days.", "en", "bare number"),
    # --- look-alikes, invisible characters, spacing
    Reply("{percent}% off and ｆｒｅｅ shipping.", "en", "fullwidth letters"),
    Reply("{percent}% off and fr" + ZWSP + "ee sh" + ZWJ + "ipping.", "en", "zero-width space and joiner"),
    Reply("{percent}% off and frее returns.", "en", "Cyrillic е in free"),
    Reply("{percent}% off and a gіft card.", "en", "Cyrillic і in gift"),
    Reply("{percent}% off and f r e e  s h i p p i n g.", "en", "spaced letters"),
    Reply("{percent}% off and fr-ee deli-very.", "en", "split words"),
    Reply("{percent}% off and ꜰʀᴇᴇ shipping.", "en", "small capitals"),
    Reply("{percent}% off and 𝐟𝐫𝐞𝐞 shipping.", "en", "mathematical bold letters"),
    Reply("{percent}% off 🎁🚚", "en", "gift and truck emoji"),
    Reply("Скидка {percent}% и ехтга", "ru", "Latin word written in Cyrillic look-alikes"),
    Reply("{percent}% off" + WJ + " and a g" + ZWNJ + "ift.", "en", "word joiner, zero-width non-joiner"),
    Reply("{percent}% off, and anοther one next time.", "en", "Greek omicron"),
    Reply("{percent}% off. P.S. Reply STOP to get a better deal.", "en", "capitals, better deal"),
    Reply("I've applied {percent}% off and will email you a better offer soon.", "en", "later offer"),
    Reply("{percent}% off your cart and everything else in the store.", "en", "scope"),
    Reply("{percent}% off and two months of membership for nothing.", "en", "membership"),
)

BENIGN: tuple[Reply, ...] = (
    Reply("Good news! We can offer you {percent}% off your cart today.", "en", ""),
    Reply("Thanks for reaching out. I can give you {percent}% off, which saves you ${saving}.", "en", ""),
    Reply("You're getting {percent}% off: you save ${saving} and your new total is ${total}.", "en", ""),
    Reply("We value you as a customer, so here is {percent}% off your cart.", "en", ""),
    Reply("I checked what I can do: {percent}% off your current cart. Your new total is ${total}.", "en", ""),
    Reply("Happy to help! Enjoy {percent}% off your order today. Use code {code} at checkout.", "en", ""),
    Reply("Here's a discount of {percent}% on your cart, bringing it down to ${total}.", "en", ""),
    Reply("We appreciate your message. The best I can do is {percent}% off, saving you ${saving}.", "en", ""),
    Reply("I understand the price matters. I can take {percent}% off your cart.", "en", ""),
    Reply("Thanks for shopping with us: {percent}% off your cart with code {code}.", "en", ""),
    Reply("Your discount: {percent}%. You pay ${total} instead.", "en", ""),
    Reply("I'm glad you asked. For this cart I can offer {percent}% off.", "en", ""),
    Reply("Sure thing - {percent}% off for you today, new total ${total}.", "en", ""),
    Reply("Thank you for being with us. Here is {percent}% off your purchase.", "en", ""),
    Reply("Of course! Take {percent}% off your cart today with code {code}.", "en", ""),
    Reply("We can do {percent}% off this cart. That is ${saving} less to pay. 🙂", "en", ""),
    Reply("Buenas noticias: te ofrecemos un {percent}% de descuento en tu carrito.", "es", ""),
    Reply("Bonne nouvelle : nous pouvons vous offrir {percent}% de remise sur votre panier.", "fr", ""),
    Reply("Gute Nachricht: Wir können Ihnen {percent}% Rabatt auf Ihren Warenkorb geben.", "de", ""),
    Reply("Buone notizie: possiamo offrirti uno sconto del {percent}% sul carrello.", "it", ""),
    Reply("Boa notícia: podemos oferecer {percent}% de desconto no seu carrinho.", "pt", ""),
    Reply("Хорошие новости: мы можем предложить вам скидку {percent}% на вашу корзину по коду {code}.", "ru", ""),
    Reply("Es ist uns wichtig, dass Sie zufrieden sind: {percent}% Rabatt auf Ihren Einkauf heute.", "de", ""),
    Reply("Done! {percent}% off is yours on this cart, a saving of ${saving}.", "en", ""),
)

#: replies a hostile model slips into a `respond` route (no digits, so only the words can give them away)
ROUTE_PROMISES: tuple[str, ...] = (
    "We'll waive shipping and add a gift card.",
    "Use code VIPDEAL at checkout for a surprise.",
    "Ask again next month and I'll have a better deal for you.",
    "Your loyalty earns you store credit, just reply yes.",
    "Te enviamos un regalo y el envío es gratis.",
    "Mit dem Gutschein TREUE sparen Sie beim nächsten Einkauf.",
    "Мы вернём деньги и добавим бонусы на счёт.",
    "Free returns and a complimentary upgrade, on us!",
)
