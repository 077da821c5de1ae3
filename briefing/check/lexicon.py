"""Word lists of the contradiction check: opposites, dates, who says, how sentences open.

Hand-made for English news. ``OPPOSITES`` maps a word (as written) to its opposites;
the check compares their stems, so "released" also stands for "release" and "releases".
"""

from __future__ import annotations

_PAIRS = """
arrest release|arrested released|confirm deny|confirmed denied|confirms denies|accept reject
accepted rejected|approve reject|approved rejected|approval rejection|win lose|won lost|wins loses
winner loser|victory defeat|increase decrease|increased decreased|increases decreases|rise fall
rose fell|risen fallen|rising falling|raise lower|raised lowered|open close|opened closed
opening closing|allow ban|allowed banned|allow forbid|allowed forbade|permit prohibit
permitted prohibited|agree refuse|agreed refused|agree disagree|agreed disagreed|guilty innocent
convicted acquitted|conviction acquittal|kill spare|survive die|survived died|survivor victim
alive dead|before after|earlier later|higher lower|high low|more fewer|more less|larger smaller
large small|big small|bigger smaller|biggest smallest|largest smallest|highest lowest
most least|first last|support oppose|supported opposed|supports opposes|supporter opponent
resign stay|resigned stayed|condemn praise|condemned praised|criticise praise
criticised praised|criticize praise|criticized praised|end begin|ended began|end start
ended started|join leave|joined left|enter exit|entered exited|gain lose|gained lost|gains losses
profit loss|success failure|succeed fail|succeeded failed|successful unsuccessful|legal illegal
lawful unlawful|peaceful violent|public private|positive negative|strong weak|stronger weaker
true false|male female|include exclude|included excluded|import export|imported exported
north south|east west|northern southern|eastern western|accuse clear|accused cleared
hire fire|hired fired|domestic foreign|expand reduce|expanded reduced|expand shrink
expanded shrank|buy sell|bought sold|buyer seller|lend borrow|lent borrowed|send receive
sent received|give take|gave took|attack defend|attacked defended|attacker defender
increase cut|increased cut|boost cut|boosted cut|add remove|added removed|appear disappear
appeared disappeared|arrive depart|arrived departed|arrival departure|capture free
captured freed|elect defeat|elected defeated|ally enemy|allies enemies|friend enemy
friendly hostile|safe dangerous|safe unsafe|easy difficult|easier harder|cheap expensive
cheaper costlier|rich poor|richer poorer|young old|younger older|youngest oldest|new old
early late|earliest latest|above below|inside outside|upper lower|maximum minimum|majority minority
full empty|light heavy|fast slow|faster slower|quick slow|near far|left right|up down
always never|everyone nobody|all none|many few|often rarely|present absent|possible impossible
likely unlikely|able unable|known unknown|certain uncertain|married divorced|marry divorce
import export|inbound outbound|entrance exit|pass fail|passed failed|lift impose|lifted imposed
strengthen weaken|strengthened weakened|improve worsen|improved worsened|better worse|best worst
guilty acquitted|ceasefire war|peace war|legalise ban|legalize ban|legalised banned
legalized banned|suspend resume|suspended resumed|postpone advance|postponed advanced
deploy withdraw|deployed withdrew|withdraw send|withdrew sent|reopen close|reopened closed
rescue abandon|rescued abandoned|welcome reject|welcomed rejected|praise blame|praised blamed
offense defense|offensive defensive|majority minority|asleep awake|sold purchased|dismiss uphold
dismissed upheld|overturn uphold|overturned upheld|grant deny|granted denied|admit deny
admitted denied|maximum minimum|wet dry|hot cold|warm cold|love hate|loved hated
"""
def _opposites(pairs: str) -> dict[str, frozenset[str]]:
    found: dict[str, frozenset[str]] = {}
    for pair in pairs.replace("\n", "|").split("|"):
        if pair.strip():
            a, b = pair.split()
            found[a] = found.get(a, frozenset()) | {b}
            found[b] = found.get(b, frozenset()) | {a}
    return found


OPPOSITES = _opposites(_PAIRS)  # word -> its opposites, as written

OPENERS = frozenset(
    """a an the this that these those it its he she they we i you his her their our my your in on
    at for from by with and or but as if when while after before however meanwhile although
    though despite since because also there here some many most all both each one two three
    four five six seven eight nine ten what who how why where yesterday today tomorrow earlier
    later last next according officials police authorities""".split()
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
# Verbs that report somebody's words (not those that are often an action with an object:
# "announced aid", "reported a loss", "added routes", "the United States").
SAYING = frozenset(
    """said says say told tells according claimed alleged alleges insisted insists argued
    argues believes believed warned warns testified asserted asserts""".split()
)
SPEAKERS = frozenset(
    """officials official police authorities spokesman spokeswoman spokesperson sources source
    witnesses witness prosecutors prosecutor investigators officers deputies sheriff reports
    ministry government experts analysts residents neighbors neighbours relatives family
    statement""".split()
)
# Words of a speaker's title, not of a name ("Sheriff Mike Waguespack", "Mr Egeland").
TITLES = frozenset(
    """mr mrs ms dr sir dame lord president vice prime minister secretary chief sheriff officer
    lt sgt sergeant captain capt lieutenant detective judge justice governor gov senator sen rep
    representative congressman congresswoman prosecutor attorney general gen mayor director
    chairman chairwoman chair leader deputy commissioner commander inspector superintendent
    constable coroner spokesman spokeswoman spokesperson ambassador king queen prince pope
    foreign defense defence interior health state district county city shadow former acting
    pastor reverend rev father bishop coach professor prof trooper""".split()
)
# Who a pronoun before "said" may stand for is found in the sentences before it.
SUBJECT_PRONOUNS = frozenset("he she it they i we".split())
# Speakers that are many people or a body, never the one person a claim may name instead.
GROUPS = frozenset(
    """officials police authorities sources witnesses prosecutors investigators officers
    deputies residents neighbors neighbours relatives experts analysts troopers""".split()
)
# Verbs that may report somebody's words, besides SAYING (wider: often an action too).
REPORTING = SAYING | frozenset(
    """wrote writes write tweeted tweets posted posts announced announces stated states added
    adds explained explains noted notes declared declares confirmed confirms revealed reveals
    admitted admits denied denies acknowledged acknowledges stressed stresses urged urges
    replied replies responded responds reported reports quoted""".split()
)
