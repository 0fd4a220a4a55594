/* lexicon.c — the words that are capitalised in news text without being
 * names, and the country expressions that say whom a person serves.
 *
 * The lists describe the *shape* of English news prose (titles, honorifics,
 * organisation nouns, nationality adjectives, function words); they hold no
 * personal names. Each list is one space-separated string so it reads like
 * a word list; it is split once into a hash map on first use.
 */
#include <pthread.h>
#include <string.h>

#include "people_int.h"

typedef struct lx_list {
  uint32_t flags;
  const char *words;
} lx_list;

static const lx_list lx_lists[] = {
  {LX_FUNC | LX_ARTICLE, "the a an"},
  {LX_FUNC | LX_CONN, "of to for and"},
  {LX_FUNC | LX_PLACEPREP,
   "in at near into inside outside throughout across towards toward"},
  {LX_FUNC,
   "on by from with without within as but or nor so yet if than then that this these "
   "those there here where when while whether which who whom whose what why how "
   "he she it they we i you me him her his hers its our ours their theirs my your us them "
   "is are was were be been being am do does did done has have had will would shall "
   "should can could may might must not no yes all any both each every either neither "
   "some many most much more few several other another such one two three four five "
   "six seven eight nine ten first second third last next also still just only even "
   "now today yesterday tomorrow tonight meanwhile however moreover furthermore "
   "additionally nevertheless nonetheless instead thus hence therefore indeed "
   "earlier later recently currently previously separately finally initially "
   "although though because since unless until unlike like despite amid amidst among "
   "amongst between during after before under over above below against along around "
   "behind beyond through upon via per about according following regarding concerning "
   "including excluding speaking asked noting hoping concluding addressing citing "
   "adding saying stressing welcoming thanking expressing calling referring "
   "read watch see more photo photos video file source sources reuters "
   "breaking update exclusive opinion editorial analysis comment live "
   "let let's what's it's here's there's that's"},
  {LX_HONOR | LX_ABBREV, "mr mrs ms dr prof st hon rev"},
  {LX_SUFFIX | LX_ABBREV, "jr sr"},
  /* heads of place names: "San Jose", "Port Louis", "Saint Laurent" */
  {LX_PLACEPRE,
   "san santa santo sao são saint sainte puerto porto ciudad fort cape los las"},
  /* Korean surnames and given-name syllables that are also English words:
   * names only next to another name word ("Park Min-seok", "Pak Myong Sun") */
  {LX_WEAK_L, "park sun"},
  {LX_WEAK_R, "sun won"},
  {LX_HONOR,
   "comrade comrades respected dear esteemed beloved excellency sir dame lord lady "
   "madam madame mister miss honorable honourable his-excellency señor senor "
   "sheikh his her"},
  {LX_TITLE | LX_ABBREV,
   "gen lt col maj capt cmdr adm sgt sen rep gov pres amb"},
  {LX_TITLE,
   "president premier minister ministers secretary chairman chairwoman chairperson "
   "chair chief leader king queen prince princess emperor empress monarch pope "
   "ambassador envoy attache attaché charge chargé chargee affaires d'affaires "
   "general marshal admiral commander colonel lieutenant captain sergeant officer "
   "director head spokesman spokeswoman spokesperson governor mayor senator "
   "chancellor counsellor counselor councillor councilor consul speaker adviser "
   "advisor aide representative delegate commissioner ombudsman prosecutor judge "
   "justice lawmaker legislator diplomat official executive ceo founder chairmen "
   "vice-president vice-chairman vice-premier vice-minister mp emir sultan "
   "cardinal archbishop bishop patriarch ayatollah imam rabbi coach manager "
   "member members presidents leaders secretaries ambassadors chiefs heads "
   "superintendent inspector deputy-director deputy-minister first-secretary "
   "president-elect taoiseach attorney editor bishops cardinals generals "
   "striker midfielder goalkeeper defender winger referee umpire teammate "
   "teacher nurse doctor economist analyst activist lawyer researcher scientist "
   "journalist reporter correspondent photographer writer novelist author poet "
   "actor actress singer rapper designer architect professor student farmer "
   "fisherman priest pastor player businessman businesswoman tycoon billionaire "
   "entrepreneur investor banker trader strategist consultant historian "
   "filmmaker producer publisher commentator dissident candidate nominee "
   "solicitor barrister magistrate sheriff detective brigadier corporal commodore "
   "governor-general secretary-general attorney-general vice-chancellor"},
  {LX_TMOD,
   "deputy vice first acting former prime foreign defense defence interior "
   "finance economy economic trade industry energy health education culture "
   "sports science technology agriculture transport labour labor environment "
   "information communications justice home external internal senior junior "
   "assistant executive general supreme grand great crown high honorary permanent "
   "special state national federal principal chief-of-staff joint political "
   "military naval air army navy security intelligence police public foreign-affairs "
   "parliamentary presidential royal cabinet party armed staff incumbent outgoing "
   "interim ad interim caretaker new designated elect late retired "
   "fisheries tourism mining investments investment commerce treasury customs "
   "immigration veterans aviation forestry lands housing youth heritage "
   "planning works infrastructure petroleum livestock digital innovation "
   "employment welfare unification climate ecology resources emergency "
   "emergencies disaster transportation telecommunications mines minerals "
   "irrigation fishery sports-and fisheries-and public-works"},
  {LX_ORG,
   "council party committee ministry department government cabinet parliament "
   "assembly senate congress court bureau office administration commission "
   "authority agency army navy forces force staff corps guard guards command "
   "police bank fund company corporation corp inc ltd llc group holdings "
   "association organization organisation foundation society league alliance front "
   "movement coalition secretariat presidium politburo embassy embassies consulate "
   "mission delegation people people's peoples workers workers' affairs security "
   "union federation republic kingdom empire commonwealth emirates nations united "
   "democratic socialist communist liberal conservative republican democrats "
   "popular revolutionary central international global world human rights "
   "freedom liberation independence victory peace friendship unity solidarity "
   "reunification treaty agreement accord pact charter declaration partnership "
   "cooperation talks operation operations exercise exercises drill crisis program "
   "programme project plan initiative strategy policy act law code bill report "
   "news times post press daily herald tribune journal gazette review "
   "media television tv radio network channel airlines airways railway railways "
   "airport station port bridge road street avenue square park palace hall house "
   "building tower monument museum theatre theater stadium arena hotel resort "
   "hospital clinic school college university academy institute center centre "
   "library church cathedral mosque temple island islands river lake sea ocean "
   "mountain mountains mount valley peninsula gulf bay strait coast coastal region "
   "regions province provinces oblast krai county district city town village "
   "north south east west northern southern eastern western northeast northwest "
   "southeast southwest upper lower greater old day days year years week month "
   "war wars battle cup games olympics olympic festival summit forum conference "
   "session sessions meeting meetings dialogue summit exhibition expo fair prize "
   "award awards order medal hero heroes martyrs cemetery memorial anniversary "
   "revolution movement strategic comprehensive development social military "
   "nuclear missile missiles space satellite army's armed commission's council's "
   "ministry's agency's hall's university's station's service services "
   "telegraph television's broadcasting broadcast company's association's bank's "
   "christmas easter eid ramadan new year's holiday holidays spring autumn summer "
   "winter internet web online twitter facebook telegram youtube instagram "
   "euro euros dollar dollars ruble rubles rouble roubles yuan won yen "
   "constitution charter's standing plenary plenum congress's politburo's "
   "kcna tass ria xinhua yonhap ap afp sputnik rt bbc cnn "
   "mining oil gas petroleum motors steel industries technologies systems solutions "
   "capital partners ventures pharmaceuticals telecom airlines logistics holdings "
   "wire index average composite industrial juniors rovers wanderers athletic "
   "sporting deportivo atletico independiente olympique copa liga cup trophy "
   "brothers bros associates associés sons cie gmbh ag sa plc nv "
   "base airbase crossing border camp basin"},
  {LX_ACRONYM, "un eu uk usa nato prc rok kcna tass ria ap afp rt bbc cnn dprk wpk"},
  {LX_TIME,
   "january february march april june july august september october november "
   "december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday "
   "wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun"},
  {LX_PARTICLE,
   "da de do dos das del della di van von der den le la bin ibn al el ter ten du"},
  {LX_NAT,
   "russian russia russians korea korean koreans dprk rok chinese china prc "
   "american america americans us u.s u.s. usa united-states british britain uk "
   "england english french france german germany japanese japan indian india "
   "vietnamese vietnam viet lao laos laotian cambodian cambodia serbian serbia "
   "iranian iran ukrainian ukraine belarusian belarus cuban cuba syrian syria "
   "turkish turkey türkiye turkiye israeli israel palestinian palestine egyptian "
   "egypt nigerian nigeria kenyan kenya ethiopian ethiopia mexican mexico "
   "argentine argentinian argentina chilean chile colombian colombia venezuelan "
   "venezuela canadian canada australian australia indonesian indonesia "
   "malaysian malaysia thai thailand philippine filipino philippines pakistani "
   "pakistan afghan afghanistan iraqi iraq saudi arabia emirati qatari qatar "
   "italian italy spanish spain portuguese portugal polish poland hungarian "
   "hungary czech austrian austria swiss switzerland dutch netherlands belgian "
   "belgium swedish sweden norwegian norway finnish finland danish denmark greek "
   "greece mongolian mongolia kazakh kazakhstan uzbek uzbekistan ghanaian ghana "
   "senegalese senegal tanzanian tanzania ugandan uganda angolan angola "
   "mozambican mozambique zimbabwean zimbabwe algerian algeria moroccan morocco "
   "tunisian tunisia libyan libya sudanese sudan peruvian peru bolivian bolivia "
   "nicaraguan nicaragua singaporean singapore myanmar burmese nepali nepal "
   "bangladeshi bangladesh lankan sri georgian georgia armenian armenia "
   "azerbaijani azerbaijan kyrgyz kyrgyzstan tajik tajikistan turkmen "
   "turkmenistan lebanese lebanon jordanian jordan kuwaiti kuwait omani oman "
   "yemeni yemen irish ireland romanian romania bulgarian bulgaria croatian "
   "croatia slovak slovakia slovenian slovenia lithuanian lithuania latvian "
   "latvia estonian estonia moldovan moldova brazilian brazil european europe "
   "asian asia african africa arab arabic western eastern soviet ussr nato eu un "
   "zealand congolese congo cameroonian cameroon rwandan rwanda namibian namibia "
   "botswana zambian zambia malian mali nigerien niger burkinabe ecuadorian "
   "ecuador uruguayan uruguay paraguayan paraguay guatemalan guatemala "
   "honduran honduras salvadoran dominican haitian haiti jamaican jamaica "
   "icelandic iceland cypriot cyprus maltese malta luxembourg albanian albania "
   "macedonian bosnian bosnia montenegrin montenegro kosovo eritrean eritrea "
   "somali somalia djiboutian djibouti gabonese gabon ivorian beninese benin "
   "togolese togo liberian liberia guinean guinea gambian gambia malagasy "
   "madagascar mauritian mauritius brunei bruneian timorese timor bhutanese "
   "bhutan maldivian maldives taiwanese taiwan hong kong macau tibetan ukrainian "
   "crimean pyongyang moscow beijing washington seoul tokyo kremlin "
   "baltic nordic scandinavian caribbean pacific atlantic mediterranean balkan "
   "arctic latin catholic orthodox protestant anglican evangelical muslim islamic "
   "jewish buddhist hindu sikh sunni shia shiite sierra-leonean costa-rican"},
};

/* Multi-word places and organisations whose words look like a personal
 * name (a given name and a surname, or two surname-like words). Folded
 * lowercase, one phrase per line. These are world knowledge about places
 * and firms, not about any article: eponymous firms are named after people,
 * so only a list can tell "Morgan Stanley" the bank from a person. */
static const char *const lx_phrases =
  /* places */
  "costa rica\ncosta rican\ncosta ricans\nsierra leone\nsierra leonean\nsierra leoneans\n"
  "buenos aires\nhong kong\nnew delhi\nnew york\nnew jersey\nnew zealand\nnew mexico\n"
  "new orleans\nnew hampshire\nsri lanka\nsri lankan\nsri lankans\npuerto rico\n"
  "puerto rican\nel salvador\nkuala lumpur\nphnom penh\naddis ababa\ndar es salaam\n"
  "rio de janeiro\ntel aviv\nabu dhabi\nburkina faso\ncabo verde\nsaudi arabia\n"
  "south africa\nsouth sudan\nnorth macedonia\neast timor\ntimor leste\n"
  "papua new guinea\nguinea bissau\nequatorial guinea\nivory coast\nsolomon islands\n"
  "marshall islands\nla paz\nmexico city\nho chi minh city\nnizhny novgorod\n"
  "baton rouge\nmonte carlo\nel paso\nla plata\nbeverly hills\nwall street\n"
  "downing street\ncapitol hill\nsilicon valley\ngaza strip\nwest bank\n"
  "golan heights\nbaltic sea\nnagorno karabakh\nsan marino\nvatican city\n"
  "trinidad and tobago\nantigua and barbuda\nsaint kitts\nbosnia and herzegovina\n"
  /* eponymous and name-shaped organisations */
  "goldman sachs\nmorgan stanley\nwells fargo\njp morgan\njpmorgan chase\n"
  "merrill lynch\ncharles schwab\nlehman brothers\ncredit suisse\ndow jones\n"
  "raymond james\nedward jones\nbain capital\nkohlberg kravis roberts\n"
  "standard chartered\nhang seng\nnikkei asia\nrolls royce\nmercedes benz\n"
  "louis vuitton\nsaint laurent\nyves saint laurent\nchristian dior\nhugo boss\n"
  "ralph lauren\ncalvin klein\ntommy hilfiger\ngiorgio armani\ndolce gabbana\n"
  "estee lauder\nwalt disney\nwarner bros\nharley davidson\njohnson johnson\n"
  "procter gamble\nmarks spencer\nernst young\nred cross\nred crescent\n"
  "red army\nred square\nred sea\nwhite house\nhuman rights watch\n"
  "amnesty international\ndoctors without borders\nmedecins sans frontieres\n"
  "boca juniors\nriver plate\nreal madrid\natletico madrid\nmanchester united\n"
  "manchester city\naston villa\ncrystal palace\ninter milan\nac milan\n"
  "paris saint germain\nbayern munich\nborussia dortmund\ncopa america\n"
  "copa libertadores\ncopa sudamericana\ngrand prix\nformula one\n"
  "bank negara\nstandard poor's\nmoody's investors\nfitch ratings\n";

static cd_smap lx_pmap;
static pthread_once_t lx_ponce = PTHREAD_ONCE_INIT;

static void lx_pinit(void) {
  cd_smap_init(&lx_pmap);
  for (const char *p = lx_phrases; *p;) {
    const char *e = strchr(p, '\n');
    if (!e) e = p + strlen(p);
    if (e > p) cd_smap_put(&lx_pmap, p, (size_t)(e - p), 1, NULL);
    p = *e ? e + 1 : e;
  }
}

bool cd_lx_phrase(const char *w, size_t n) {
  pthread_once(&lx_ponce, lx_pinit);
  return cd_smap_get(&lx_pmap, w, n) != NULL;
}

static cd_smap lx_map;
static pthread_once_t lx_once = PTHREAD_ONCE_INIT;

static void lx_init(void) {
  cd_smap_init(&lx_map);
  for (size_t i = 0; i < CD_ARRAY_LEN(lx_lists); i++) {
    const char *p = lx_lists[i].words;
    while (*p) {
      while (*p == ' ') p++;
      const char *s = p;
      while (*p && *p != ' ') p++;
      if (p == s) continue;
      bool added = false;
      uint32_t *v = cd_smap_put(&lx_map, s, (size_t)(p - s), lx_lists[i].flags, &added);
      if (!added) *v |= lx_lists[i].flags;
    }
  }
  /* first words of the phrases, so only those tokens try a phrase lookup */
  for (const char *p = lx_phrases; *p;) {
    const char *e = p;
    while (*e && *e != ' ' && *e != '\n') e++;
    bool added = false;
    uint32_t *v = cd_smap_put(&lx_map, p, (size_t)(e - p), LX_PHRASE1, &added);
    if (!added) *v |= LX_PHRASE1;
    while (*e && *e != '\n') e++;
    p = *e ? e + 1 : e;
  }
}

/* The lookup every token makes: a flat table probed with FNV-1a, filled
 * from lx_map once. Words longer than LX_WMAX are in no list. */
#define LX_WMAX 23
typedef struct lx_slot {
  uint32_t flags;
  uint8_t len;
  char w[LX_WMAX];
} lx_slot;
enum { LX_TAB = 8192 };   /* power of two, well over twice the word count */
static lx_slot lx_tab[LX_TAB];
static pthread_once_t lx_tonce = PTHREAD_ONCE_INIT;

static uint32_t lx_fnv(const char *w, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)w[i]) * 16777619u;
  return h;
}

static void lx_tinit(void) {
  pthread_once(&lx_once, lx_init);
  for (size_t i = 0; i < lx_map.cap; i++) {
    if (!lx_map.keys[i] || lx_map.lens[i] > LX_WMAX) continue;
    size_t n = lx_map.lens[i];
    size_t j = lx_fnv(lx_map.keys[i], n) & (LX_TAB - 1);
    while (lx_tab[j].len) j = (j + 1) & (LX_TAB - 1);
    lx_tab[j].flags = lx_map.vals[i];
    lx_tab[j].len = (uint8_t)n;
    memcpy(lx_tab[j].w, lx_map.keys[i], n);
  }
}

void cd_lx_init(void) { pthread_once(&lx_tonce, lx_tinit); }

uint32_t cd_lx_lookup_fast(const char *w, size_t n) {
  if (n == 0 || n > LX_WMAX) return 0;
  size_t j = lx_fnv(w, n) & (LX_TAB - 1);
  for (;;) {
    const lx_slot *e = &lx_tab[j];
    if (!e->len) return 0;
    if (e->len == n && memcmp(e->w, w, n) == 0) return e->flags;
    j = (j + 1) & (LX_TAB - 1);
  }
}

uint32_t cd_lx_lookup(const char *w, size_t n) {
  cd_lx_init();
  return cd_lx_lookup_fast(w, n);
}

/* Country expressions, folded lowercase, mapped to a normalised name.
 * Longer expressions come first where one contains another, but the scan
 * takes the longest match at each position anyway. "korea" alone is left
 * out on purpose: "Workers' Party of Korea" does not say which Korea. */
typedef struct lx_country {
  const char *expr;
  const char *name;
} lx_country;

static const lx_country lx_countries[] = {
  {"democratic people's republic of korea", "North Korea"},
  {"democratic peoples republic of korea", "North Korea"},
  {"north korean", "North Korea"}, {"north korea", "North Korea"},
  {"dprk", "North Korea"}, {"pyongyang", "North Korea"},
  {"republic of korea", "South Korea"}, {"south korean", "South Korea"},
  {"south korea", "South Korea"}, {"rok", "South Korea"}, {"seoul", "South Korea"},
  {"russian federation", "Russia"}, {"russian", "Russia"}, {"russia", "Russia"},
  {"kremlin", "Russia"}, {"moscow", "Russia"},
  {"people's republic of china", "China"}, {"chinese", "China"}, {"china", "China"},
  {"prc", "China"}, {"beijing", "China"},
  {"united states of america", "United States"}, {"united states", "United States"},
  {"u.s.", "United States"}, {"u.s", "United States"}, {"us", "United States"},
  {"usa", "United States"}, {"american", "United States"},
  {"washington", "United States"},
  {"united kingdom", "United Kingdom"}, {"british", "United Kingdom"},
  {"britain", "United Kingdom"}, {"uk", "United Kingdom"},
  {"japanese", "Japan"}, {"japan", "Japan"}, {"indian", "India"}, {"india", "India"},
  {"vietnamese", "Vietnam"}, {"vietnam", "Vietnam"}, {"viet nam", "Vietnam"},
  {"lao", "Laos"}, {"laos", "Laos"}, {"laotian", "Laos"},
  {"cambodian", "Cambodia"}, {"cambodia", "Cambodia"},
  {"serbian", "Serbia"}, {"serbia", "Serbia"}, {"iranian", "Iran"}, {"iran", "Iran"},
  {"ukrainian", "Ukraine"}, {"ukraine", "Ukraine"},
  {"belarusian", "Belarus"}, {"belarus", "Belarus"}, {"cuban", "Cuba"}, {"cuba", "Cuba"},
  {"syrian", "Syria"}, {"syria", "Syria"}, {"turkish", "Turkey"}, {"turkey", "Turkey"},
  {"turkiye", "Turkey"}, {"israeli", "Israel"}, {"israel", "Israel"},
  {"palestinian", "Palestine"}, {"palestine", "Palestine"},
  {"egyptian", "Egypt"}, {"egypt", "Egypt"}, {"nigerian", "Nigeria"}, {"nigeria", "Nigeria"},
  {"south african", "South Africa"}, {"south africa", "South Africa"},
  {"kenyan", "Kenya"}, {"kenya", "Kenya"}, {"ethiopian", "Ethiopia"}, {"ethiopia", "Ethiopia"},
  {"mexican", "Mexico"}, {"mexico", "Mexico"}, {"argentine", "Argentina"},
  {"argentinian", "Argentina"}, {"argentina", "Argentina"}, {"chilean", "Chile"},
  {"chile", "Chile"}, {"colombian", "Colombia"}, {"colombia", "Colombia"},
  {"venezuelan", "Venezuela"}, {"venezuela", "Venezuela"},
  {"canadian", "Canada"}, {"canada", "Canada"}, {"australian", "Australia"},
  {"australia", "Australia"}, {"indonesian", "Indonesia"}, {"indonesia", "Indonesia"},
  {"malaysian", "Malaysia"}, {"malaysia", "Malaysia"}, {"thai", "Thailand"},
  {"thailand", "Thailand"}, {"philippine", "Philippines"}, {"filipino", "Philippines"},
  {"philippines", "Philippines"}, {"pakistani", "Pakistan"}, {"pakistan", "Pakistan"},
  {"afghan", "Afghanistan"}, {"afghanistan", "Afghanistan"}, {"iraqi", "Iraq"},
  {"iraq", "Iraq"}, {"saudi", "Saudi Arabia"}, {"saudi arabia", "Saudi Arabia"},
  {"emirati", "United Arab Emirates"}, {"qatari", "Qatar"}, {"qatar", "Qatar"},
  {"italian", "Italy"}, {"italy", "Italy"}, {"spanish", "Spain"}, {"spain", "Spain"},
  {"portuguese", "Portugal"}, {"portugal", "Portugal"}, {"polish", "Poland"},
  {"poland", "Poland"}, {"hungarian", "Hungary"}, {"hungary", "Hungary"},
  {"czech", "Czech Republic"}, {"austrian", "Austria"}, {"austria", "Austria"},
  {"swiss", "Switzerland"}, {"switzerland", "Switzerland"}, {"dutch", "Netherlands"},
  {"netherlands", "Netherlands"}, {"belgian", "Belgium"}, {"belgium", "Belgium"},
  {"swedish", "Sweden"}, {"sweden", "Sweden"}, {"norwegian", "Norway"},
  {"norway", "Norway"}, {"finnish", "Finland"}, {"finland", "Finland"},
  {"danish", "Denmark"}, {"denmark", "Denmark"}, {"greek", "Greece"}, {"greece", "Greece"},
  {"mongolian", "Mongolia"}, {"mongolia", "Mongolia"}, {"kazakh", "Kazakhstan"},
  {"kazakhstan", "Kazakhstan"}, {"uzbek", "Uzbekistan"}, {"uzbekistan", "Uzbekistan"},
  {"ghanaian", "Ghana"}, {"ghana", "Ghana"}, {"senegalese", "Senegal"},
  {"senegal", "Senegal"}, {"tanzanian", "Tanzania"}, {"tanzania", "Tanzania"},
  {"ugandan", "Uganda"}, {"uganda", "Uganda"}, {"angolan", "Angola"}, {"angola", "Angola"},
  {"mozambican", "Mozambique"}, {"mozambique", "Mozambique"},
  {"zimbabwean", "Zimbabwe"}, {"zimbabwe", "Zimbabwe"}, {"algerian", "Algeria"},
  {"algeria", "Algeria"}, {"moroccan", "Morocco"}, {"morocco", "Morocco"},
  {"tunisian", "Tunisia"}, {"tunisia", "Tunisia"}, {"libyan", "Libya"}, {"libya", "Libya"},
  {"sudanese", "Sudan"}, {"sudan", "Sudan"}, {"peruvian", "Peru"}, {"peru", "Peru"},
  {"bolivian", "Bolivia"}, {"bolivia", "Bolivia"}, {"nicaraguan", "Nicaragua"},
  {"nicaragua", "Nicaragua"}, {"singaporean", "Singapore"}, {"singapore", "Singapore"},
  {"myanmar", "Myanmar"}, {"burmese", "Myanmar"}, {"nepali", "Nepal"}, {"nepal", "Nepal"},
  {"bangladeshi", "Bangladesh"}, {"bangladesh", "Bangladesh"},
  {"sri lankan", "Sri Lanka"}, {"sri lanka", "Sri Lanka"},
  {"armenian", "Armenia"}, {"armenia", "Armenia"}, {"azerbaijani", "Azerbaijan"},
  {"azerbaijan", "Azerbaijan"}, {"kyrgyz", "Kyrgyzstan"}, {"kyrgyzstan", "Kyrgyzstan"},
  {"tajik", "Tajikistan"}, {"tajikistan", "Tajikistan"},
  {"turkmen", "Turkmenistan"}, {"turkmenistan", "Turkmenistan"},
  {"lebanese", "Lebanon"}, {"lebanon", "Lebanon"}, {"jordanian", "Jordan"},
  {"kuwaiti", "Kuwait"}, {"kuwait", "Kuwait"}, {"omani", "Oman"}, {"oman", "Oman"},
  {"yemeni", "Yemen"}, {"yemen", "Yemen"}, {"irish", "Ireland"}, {"ireland", "Ireland"},
  {"romanian", "Romania"}, {"romania", "Romania"}, {"bulgarian", "Bulgaria"},
  {"bulgaria", "Bulgaria"}, {"croatian", "Croatia"}, {"croatia", "Croatia"},
  {"slovak", "Slovakia"}, {"slovakia", "Slovakia"}, {"slovenian", "Slovenia"},
  {"slovenia", "Slovenia"}, {"lithuanian", "Lithuania"}, {"lithuania", "Lithuania"},
  {"latvian", "Latvia"}, {"latvia", "Latvia"}, {"estonian", "Estonia"},
  {"estonia", "Estonia"}, {"moldovan", "Moldova"}, {"moldova", "Moldova"},
  {"brazilian", "Brazil"}, {"brazil", "Brazil"}, {"french", "France"}, {"france", "France"},
  {"german", "Germany"}, {"germany", "Germany"}, {"new zealand", "New Zealand"},
  {"congolese", "DR Congo"}, {"cameroonian", "Cameroon"}, {"cameroon", "Cameroon"},
  {"rwandan", "Rwanda"}, {"rwanda", "Rwanda"}, {"namibian", "Namibia"},
  {"namibia", "Namibia"}, {"zambian", "Zambia"}, {"zambia", "Zambia"},
  {"malian", "Mali"}, {"ecuadorian", "Ecuador"}, {"ecuador", "Ecuador"},
  {"uruguayan", "Uruguay"}, {"uruguay", "Uruguay"}, {"paraguayan", "Paraguay"},
  {"paraguay", "Paraguay"}, {"guatemalan", "Guatemala"}, {"guatemala", "Guatemala"},
  {"taiwanese", "Taiwan"}, {"taiwan", "Taiwan"}, {"ivorian", "Ivory Coast"},
  {"liberian", "Liberia"}, {"liberia", "Liberia"}, {"somali", "Somalia"},
  {"somalia", "Somalia"}, {"eritrean", "Eritrea"}, {"eritrea", "Eritrea"},
  {"albanian", "Albania"}, {"albania", "Albania"}, {"bosnian", "Bosnia and Herzegovina"},
  {"georgian", "Georgia"}, {"icelandic", "Iceland"}, {"iceland", "Iceland"},
  {"cypriot", "Cyprus"}, {"cyprus", "Cyprus"}, {"haitian", "Haiti"}, {"haiti", "Haiti"},
  {"costa rican", "Costa Rica"}, {"costa rica", "Costa Rica"},
  {"sierra leonean", "Sierra Leone"}, {"sierra leone", "Sierra Leone"},
  {"jordan", "Jordan"}, {"hong kong", "China"}, {"emirates", "United Arab Emirates"},
  {"panamanian", "Panama"}, {"panama", "Panama"}, {"honduran", "Honduras"},
  {"honduras", "Honduras"}, {"salvadoran", "El Salvador"}, {"el salvador", "El Salvador"},
  {"dominican republic", "Dominican Republic"}, {"jamaican", "Jamaica"}, {"jamaica", "Jamaica"},
  {"senegalese", "Senegal"}, {"senegal", "Senegal"}, {"tanzanian", "Tanzania"},
  {"tanzania", "Tanzania"}, {"zimbabwean", "Zimbabwe"}, {"zimbabwe", "Zimbabwe"},
  {"mongolian", "Mongolia"}, {"mongolia", "Mongolia"}, {"kazakh", "Kazakhstan"},
  {"kazakhstan", "Kazakhstan"}, {"uzbek", "Uzbekistan"}, {"uzbekistan", "Uzbekistan"},
};

static bool lx_wordchar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static size_t lx_clen[CD_ARRAY_LEN(lx_countries)];
static pthread_once_t lx_conce = PTHREAD_ONCE_INIT;

/* entries by first letter, so a scan position looks at a handful only */
static uint16_t lx_cby[26][48];
static uint8_t lx_ncby[26];

static void lx_cinit(void) {
  for (size_t k = 0; k < CD_ARRAY_LEN(lx_countries); k++) {
    lx_clen[k] = strlen(lx_countries[k].expr);
    int c = lx_countries[k].expr[0] - 'a';
    if (c >= 0 && c < 26 && lx_ncby[c] < 48) lx_cby[c][lx_ncby[c]++] = (uint16_t)k;
  }
}

const char *cd_lx_country_in(const char *s, size_t n, size_t *at) {
  pthread_once(&lx_conce, lx_cinit);
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && lx_wordchar((unsigned char)s[i - 1])) continue;
    if (!lx_wordchar((unsigned char)s[i])) continue;
    const lx_country *best = NULL;
    size_t best_len = 0;
    int c0 = s[i] - 'a';
    if (c0 < 0 || c0 >= 26) continue;
    for (size_t q = 0; q < lx_ncby[c0]; q++) {
      size_t k = lx_cby[c0][q];
      size_t l = lx_clen[k];
      if (l <= best_len || l > n - i) continue;
      if (memcmp(s + i, lx_countries[k].expr, l) != 0) continue;
      /* word boundary after, except "russia's" style possessives */
      if (i + l < n && lx_wordchar((unsigned char)s[i + l])) continue;
      best = &lx_countries[k];
      best_len = l;
    }
    if (best) {
      if (at) *at = i;
      return best->name;
    }
  }
  return NULL;
}
