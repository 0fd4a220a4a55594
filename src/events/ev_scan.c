/* ev_scan.c — one article into event candidates.
 *
 * Per sentence: find triggers as news words them ("met", "held talks",
 * "paid an official visit to", "arrived in", "signed", "conveyed
 * greetings", "will meet"), give each the people of its clause (subject
 * before, objects up to the next trigger), the nearest date expression and
 * a place. Then per article: decide main/background, give undated main
 * events the article's date context, attach anaphora ("the talks", "this
 * visit") and fold greetings conveyed at a meeting into the meeting, and
 * merge repeated reports of one happening ("met", "received", "had a talk
 * with") into one candidate. Cross-article merging is events.c's job. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ev_private.h"

const char *ev_field_text(const cd_article *a, int field) {
  switch (field) {
  case CD_FIELD_TITLE: return a->title;
  case CD_FIELD_LEAD: return a->lead_is_standfirst ? a->lead : NULL;
  default: return a->body;
  }
}

ev_family ev_family_of(cd_event_type t) {
  switch (t) {
  case CD_EV_MEETING: case CD_EV_TALKS: case CD_EV_SUMMIT: return EV_FAM_MEET;
  case CD_EV_VISIT: return EV_FAM_VISIT;
  case CD_EV_TREATY: return EV_FAM_TREATY;
  case CD_EV_STATEMENT: return EV_FAM_STATEMENT;
  default: return EV_FAM_OTHER;
  }
}

/* ---- triggers --------------------------------------------------------------- */

typedef enum tkind {
  TK_FINITE,   /* a finite verb: subject is the clause subject */
  TK_NEAR,     /* participle / "on a visit to": attaches to the nearest name */
  TK_NOMINAL,  /* a noun ("summit", "talks"): may refer back */
} tkind;

typedef struct trig {
  const char *w;
  cd_event_type type;
  uint8_t kind;
  uint8_t need_obj;   /* needs a person after it ("received X") */
  const char *subj_role, *obj_role;
} trig;

/* Longest phrases first where one is a prefix of another. */
static const trig k_trigs[] = {
  {"paid a courtesy call on", CD_EV_MEETING, TK_FINITE, 1, "visitor", "host"},
  {"pays a courtesy call on", CD_EV_MEETING, TK_FINITE, 1, "visitor", "host"},
  {"paid a courtesy call to", CD_EV_MEETING, TK_FINITE, 1, "visitor", "host"},
  {"courtesy call on", CD_EV_MEETING, TK_NOMINAL, 1, "visitor", "host"},
  {"granted an audience to", CD_EV_MEETING, TK_FINITE, 1, "host", "visitor"},
  {"audience with", CD_EV_MEETING, TK_NOMINAL, 1, "visitor", "host"},
  /* a call is a conversation between the two: the talks family */
  {"held a phone call", CD_EV_TALKS, TK_FINITE, 0, NULL, NULL},
  {"had a phone call", CD_EV_TALKS, TK_FINITE, 0, NULL, NULL},
  {"held a telephone conversation", CD_EV_TALKS, TK_FINITE, 0, NULL, NULL},
  {"had a telephone conversation", CD_EV_TALKS, TK_FINITE, 0, NULL, NULL},
  {"held a telephone call", CD_EV_TALKS, TK_FINITE, 0, NULL, NULL},
  {"spoke by phone", CD_EV_TALKS, TK_FINITE, 0, NULL, NULL},
  {"spoke by telephone", CD_EV_TALKS, TK_FINITE, 0, NULL, NULL},
  {"spoke on the phone", CD_EV_TALKS, TK_FINITE, 0, NULL, NULL},
  {"phone call with", CD_EV_TALKS, TK_NOMINAL, 1, NULL, NULL},
  {"phone call between", CD_EV_TALKS, TK_NOMINAL, 1, NULL, NULL},
  {"telephone conversation with", CD_EV_TALKS, TK_NOMINAL, 1, NULL, NULL},
  {"telephone call with", CD_EV_TALKS, TK_NOMINAL, 1, NULL, NULL},
  {"phone conversation with", CD_EV_TALKS, TK_NOMINAL, 1, NULL, NULL},
  {"met with", CD_EV_MEETING, TK_FINITE, 0, NULL, NULL},
  {"met", CD_EV_MEETING, TK_FINITE, 0, NULL, NULL},
  {"meets with", CD_EV_MEETING, TK_FINITE, 0, NULL, NULL},
  {"meets", CD_EV_MEETING, TK_FINITE, 0, NULL, NULL},
  {"meet with", CD_EV_MEETING, TK_FINITE, 0, NULL, NULL},
  {"meet", CD_EV_MEETING, TK_FINITE, 0, NULL, NULL},
  {"meeting with", CD_EV_MEETING, TK_NOMINAL, 1, NULL, NULL},
  {"meeting between", CD_EV_MEETING, TK_NOMINAL, 1, NULL, NULL},
  {"exchange between", CD_EV_MEETING, TK_NOMINAL, 0, NULL, NULL},
  {"sat down with", CD_EV_MEETING, TK_FINITE, 1, NULL, NULL},
  {"shook hands with", CD_EV_MEETING, TK_FINITE, 1, NULL, NULL},
  {"received", CD_EV_MEETING, TK_FINITE, 1, "host", "visitor"},
  {"receives", CD_EV_MEETING, TK_FINITE, 1, "host", "visitor"},
  {"receive", CD_EV_MEETING, TK_FINITE, 1, "host", "visitor"},
  {"hosted", CD_EV_MEETING, TK_FINITE, 1, "host", "visitor"},
  {"hosts", CD_EV_MEETING, TK_FINITE, 1, "host", "visitor"},
  {"held talks", CD_EV_TALKS, TK_FINITE, 0, NULL, NULL},
  {"holds talks", CD_EV_TALKS, TK_FINITE, 0, NULL, NULL},
  {"hold talks", CD_EV_TALKS, TK_FINITE, 0, NULL, NULL},
  {"had talks", CD_EV_TALKS, TK_FINITE, 0, NULL, NULL},
  {"had a talk", CD_EV_TALKS, TK_FINITE, 0, NULL, NULL},
  {"had a meeting", CD_EV_MEETING, TK_FINITE, 0, NULL, NULL},
  {"held a meeting", CD_EV_MEETING, TK_FINITE, 0, NULL, NULL},
  {"talks with", CD_EV_TALKS, TK_NOMINAL, 1, NULL, NULL},
  {"talks between", CD_EV_TALKS, TK_NOMINAL, 1, NULL, NULL},
  {"negotiations with", CD_EV_TALKS, TK_NOMINAL, 1, NULL, NULL},
  {"negotiations between", CD_EV_TALKS, TK_NOMINAL, 1, NULL, NULL},
  {"summit", CD_EV_SUMMIT, TK_NOMINAL, 0, NULL, NULL},
  {"talks", CD_EV_TALKS, TK_NOMINAL, 0, NULL, NULL},
  {"meeting", CD_EV_MEETING, TK_NOMINAL, 0, NULL, NULL},
  {"on a visit to", CD_EV_VISIT, TK_NEAR, 0, "visitor", NULL},
  {"on an official visit to", CD_EV_VISIT, TK_NEAR, 0, "visitor", NULL},
  {"on a state visit to", CD_EV_VISIT, TK_NEAR, 0, "visitor", NULL},
  {"on a working visit to", CD_EV_VISIT, TK_NEAR, 0, "visitor", NULL},
  {"visiting", CD_EV_VISIT, TK_NEAR, 0, "visitor", NULL},
  {"visited", CD_EV_VISIT, TK_FINITE, 0, "visitor", NULL},
  {"visits", CD_EV_VISIT, TK_FINITE, 0, "visitor", NULL},
  {"visit", CD_EV_VISIT, TK_NOMINAL, 0, "visitor", NULL},
  {"arrived in", CD_EV_VISIT, TK_FINITE, 0, "visitor", NULL},
  {"arrived at", CD_EV_VISIT, TK_FINITE, 0, "visitor", NULL},
  {"arrives in", CD_EV_VISIT, TK_FINITE, 0, "visitor", NULL},
  {"arrive in", CD_EV_VISIT, TK_FINITE, 0, "visitor", NULL},
  {"trip to", CD_EV_VISIT, TK_NOMINAL, 0, "visitor", NULL},
  {"traveled to", CD_EV_VISIT, TK_FINITE, 0, "visitor", NULL},
  {"travelled to", CD_EV_VISIT, TK_FINITE, 0, "visitor", NULL},
  {"travels to", CD_EV_VISIT, TK_FINITE, 0, "visitor", NULL},
  {"travel to", CD_EV_VISIT, TK_FINITE, 0, "visitor", NULL},
  {"flew to", CD_EV_VISIT, TK_FINITE, 0, "visitor", NULL},
  {"trip", CD_EV_VISIT, TK_NOMINAL, 0, "visitor", NULL},
  {"signing of", CD_EV_TREATY, TK_NOMINAL, 0, NULL, NULL},
  {"signing ceremony", CD_EV_TREATY, TK_NOMINAL, 0, NULL, NULL},
  {"was signed", CD_EV_TREATY, TK_FINITE, 0, NULL, NULL},
  {"were signed", CD_EV_TREATY, TK_FINITE, 0, NULL, NULL},
  {"signed", CD_EV_TREATY, TK_FINITE, 0, NULL, NULL},
  {"signs", CD_EV_TREATY, TK_FINITE, 0, NULL, NULL},
  {"ratified", CD_EV_TREATY, TK_FINITE, 0, NULL, NULL},
  {"ratifies", CD_EV_TREATY, TK_FINITE, 0, NULL, NULL},
  {"ratify", CD_EV_TREATY, TK_FINITE, 0, NULL, NULL},
  {"sign", CD_EV_TREATY, TK_FINITE, 0, NULL, NULL},
  {"ratification of", CD_EV_TREATY, TK_NOMINAL, 0, NULL, NULL},
  {"entered into force", CD_EV_TREATY, TK_FINITE, 0, NULL, NULL},
  {"came into force", CD_EV_TREATY, TK_FINITE, 0, NULL, NULL},
  {"entry into force", CD_EV_TREATY, TK_NOMINAL, 0, NULL, NULL},
  {"conveyed", CD_EV_STATEMENT, TK_FINITE, 0, "sender", "recipient"},
  {"conveys", CD_EV_STATEMENT, TK_FINITE, 0, "sender", "recipient"},
  {"passed on", CD_EV_STATEMENT, TK_FINITE, 0, "sender", "recipient"},
  {"sent", CD_EV_STATEMENT, TK_FINITE, 0, "sender", "recipient"},
  {"sends", CD_EV_STATEMENT, TK_FINITE, 0, "sender", "recipient"},
  {"reported to", CD_EV_OTHER, TK_FINITE, 1, NULL, NULL},
  {"reports to", CD_EV_OTHER, TK_FINITE, 1, NULL, NULL},
  {"international meeting of", CD_EV_OTHER, TK_NOMINAL, 0, NULL, NULL},
  {"meeting of", CD_EV_OTHER, TK_NOMINAL, 0, NULL, NULL},
  {"forum", CD_EV_OTHER, TK_NOMINAL, 0, NULL, NULL},
  {"conference", CD_EV_OTHER, TK_NOMINAL, 0, NULL, NULL},
  {"was in", CD_EV_VISIT, TK_FINITE, 0, "visitor", NULL},
  {"were in", CD_EV_VISIT, TK_FINITE, 0, "visitor", NULL},
};

/* Triggers by their first word, built once: a hash of the lowercase first
 * word of every trigger (and of the verbs that open "paid ... visit"),
 * each slot listing its triggers in table order (longer phrases first).
 * The scan hashes each word of the text once; almost every word misses at
 * the first probe, so a sentence without a trigger costs one pass. */
#define TW_SLOTS 512
#define TW_MAX 16
typedef struct tw_slot {
  uint64_t h;           /* 0: empty */
  uint8_t paid;         /* opens "paid/made/began ... visit" */
  uint8_t n;
  uint8_t ids[TW_MAX];
} tw_slot;
static tw_slot g_tw[TW_SLOTS];
static uint8_t g_trig_len[CD_ARRAY_LEN(k_trigs)];
static pthread_once_t g_trig_once = PTHREAD_ONCE_INIT;

static uint64_t tw_hash(const char *w, size_t l) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < l; i++) {
    char c = w[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    h = (h ^ (unsigned char)c) * 0x100000001b3ull;
  }
  return h | 1;
}

static tw_slot *tw_find(uint64_t h, bool insert) {
  size_t i = (size_t)(h >> 7) & (TW_SLOTS - 1);
  while (g_tw[i].h && g_tw[i].h != h) i = (i + 1) & (TW_SLOTS - 1);
  if (!g_tw[i].h) {
    if (!insert) return NULL;
    g_tw[i].h = h;
  }
  /* Lookups never write: the scan threads share this table (a store of
   * the same value on a hit was a data race, found by TSan). */
  return &g_tw[i];
}

static const char *const k_paid_verbs[] = {"paid", "pays", "pay", "paying", "made", "makes",
                                            "make", "making", "began", "begins", "started",
                                            "starts", "is", "was", "are", "were"};

static void trig_index_init(void) {
  for (size_t k = 0; k < CD_ARRAY_LEN(k_trigs); k++) {
    const char *w = k_trigs[k].w;
    size_t l = 0;
    while (w[l] && w[l] != ' ') l++;
    g_trig_len[k] = (uint8_t)strlen(w);
    tw_slot *sl = tw_find(tw_hash(w, l), true);
    if (sl->n < TW_MAX) sl->ids[sl->n++] = (uint8_t)k;
  }
  for (size_t k = 0; k < CD_ARRAY_LEN(k_paid_verbs); k++)
    tw_find(tw_hash(k_paid_verbs[k], strlen(k_paid_verbs[k])), true)->paid = 1;
}

/* Words near a statement verb that make it a message, not a shipment. */
/* True when one of the word prefixes w[] (lengths in l[]) starts a word in
 * s[from..to). Tests the first byte before anything else: these run over
 * whole sentences. */
static bool prefix_in(const char *s, size_t n, size_t from, size_t to, const char *const *w,
                      const uint8_t *l, size_t nw) {
  if (to > n) to = n;
  for (size_t i = from; i < to; i++) {
    if (i > 0 && ev_is_alpha(s[i - 1])) continue;
    for (size_t k = 0; k < nw; k++)
      if (s[i] == w[k][0] && i + l[k] <= to && memcmp(s + i, w[k], l[k]) == 0) return true;
  }
  return false;
}

static bool message_near(const char *s, size_t n, size_t from, size_t to) {
  static const char *const w[] = {"message", "letter", "greeting", "congratulat",
                                  "condolence", "wishes", "telegram"};
  static const uint8_t l[] = {7, 6, 8, 11, 10, 6, 8};
  return prefix_in(s, n, from, to, w, l, CD_ARRAY_LEN(w));
}

static bool treaty_near(const char *s, size_t n, size_t from, size_t to) {
  static const char *const w[] = {"treaty", "agreement", "accord", "pact", "memorandum",
                                  "protocol", "convention", "declaration", "deal", "Treaty",
                                  "Agreement", "Accord", "Pact", "Memorandum", "Protocol",
                                  "Convention", "Declaration", "contract", "charter"};
  static const uint8_t l[] = {6, 9, 6, 4, 10, 8, 10, 11, 4, 6, 9, 6, 4, 10, 8, 10, 11, 8, 7};
  return prefix_in(s, n, from, to, w, l, CD_ARRAY_LEN(w));
}

/* "paid an official visit to", "made a state visit to", "pay a three-day
 * visit": returns the phrase length or 0. */
static size_t paid_visit_at(const char *s, size_t n, size_t i) {
  size_t j = SIZE_MAX;
  for (size_t k = 0; k < CD_ARRAY_LEN(k_paid_verbs); k++)
    if (ev_word_at(s, n, i, k_paid_verbs[k])) { j = i + strlen(k_paid_verbs[k]); break; }
  if (j == SIZE_MAX) return 0;
  if ((ev_word_at(s, n, i, "is") || ev_word_at(s, n, i, "was") ||
                          ev_word_at(s, n, i, "are") || ev_word_at(s, n, i, "were"))) {
    /* only "is on a visit", "was on an official visit" */
    size_t q = j;
    while (q < n && s[q] == ' ') q++;
    if (!ev_word_at(s, n, q, "on")) return 0;
    j = q + 2;
  }
  for (int words = 0; words < 5 && j < n; words++) {
    while (j < n && s[j] == ' ') j++;
    if (ev_word_at(s, n, j, "visit")) return j + 5 - i;
    if (ev_word_at(s, n, j, "courtesy")) return 0;
    size_t e = j;
    while (e < n && (ev_is_alpha(s[e]) || s[e] == '-')) e++;
    if (e == j) return 0;
    j = e;
  }
  return 0;
}

/* The trigger at s[i], or NULL; *len gets its length. */
/* The trigger whose first word is s[i..e) (a whole word, hashed as h by
 * the caller's pass over it), or NULL; *len gets its length. A hyphen
 * before it is fine: "Shoigu-Kim talks". */
static const trig *trigger_at(const char *s, size_t n, size_t i, size_t e, uint64_t h,
                              size_t *len) {
  static const trig paid = {"paid ... visit", CD_EV_VISIT, TK_FINITE, 0, "visitor", NULL};
  /* (the index is built by ev_scan_article before any scan) */
  if (e == i || e - i > 24) return NULL;
  const tw_slot *sl = tw_find(h | 1, false);
  if (!sl) return NULL;
  if (sl->paid) {
    size_t pl = paid_visit_at(s, n, i);
    if (pl) { *len = pl; return &paid; }
  }
  for (size_t k = 0; k < sl->n; k++)
    if (ev_word_at(s, n, i, k_trigs[sl->ids[k]].w)) {
      *len = g_trig_len[sl->ids[k]];
      return &k_trigs[sl->ids[k]];
    }
  return NULL;
}

/* ---- context words ---------------------------------------------------------- */

static bool any_word_in(const char *s, size_t n, size_t from, size_t to,
                        const char *const *w, size_t nw) {
  if (to > n) to = n;
  /* the first letters of the words, as a bit set: most word starts fail
   * this one test */
  uint32_t first = 0;
  for (size_t k = 0; k < nw; k++) first |= 1u << ((w[k][0] | 0x20) & 31);
  for (size_t i = from; i < to; i++) {
    if (!(first >> ((s[i] | 0x20) & 31) & 1) || !ev_is_alpha(s[i])) continue;
    if (i > 0 && ev_is_alpha(s[i - 1])) continue;
    for (size_t k = 0; k < nw; k++)
      if (ev_word_at(s, n, i, w[k])) return true;
  }
  return false;
}

/* The text just before the trigger says it has not happened yet. */
static bool planned_before(const char *s, size_t n, size_t sent_start, size_t t, int field,
                           const trig *tr) {
  static const char *const w[] = {"will", "is expected to", "are expected to", "is scheduled to",
                                  "are scheduled to", "is due to", "are due to", "plans to",
                                  "plan to", "is set to", "are set to", "is to", "are to",
                                  "intends to", "is going to", "will be"};
  size_t from = t > sent_start + 24 ? t - 24 : sent_start;
  for (size_t i = from; i < t; i++) {
    /* every phrase starts with w, i, a or p: test the byte first */
    char c = s[i] | 0x20;
    if ((c != 'w' && c != 'i' && c != 'a' && c != 'p') || (i > 0 && ev_is_alpha(s[i - 1])))
      continue;
    for (size_t k = 0; k < CD_ARRAY_LEN(w); k++)
      if (ev_word_at(s, n, i, w[k]) && i + strlen(w[k]) + 12 >= t) return true;
  }
  /* headline style: "Shoigu to meet Kim" */
  size_t pw = ev_prev_word(s, t);
  if (field == CD_FIELD_TITLE && pw != SIZE_MAX && pw >= sent_start && ev_word_at(s, n, pw, "to"))
    return true;
  if (tr->kind == TK_NOMINAL) {
    /* "the talks will center on", "talks to focus on" */
    size_t e = t + strlen(tr->w);
    while (e < n && s[e] == ' ') e++;
    if (ev_word_at(s, n, e, "will") || ev_word_at(s, n, e, "are expected") ||
        ev_word_at(s, n, e, "is expected") ||
        (ev_word_at(s, n, e, "to") && e + 3 < n && ev_is_alpha(s[e + 3]) &&
         !ev_word_at(s, n, e + 3, "the")))
      return true;
  }
  return false;
}

/* A determiner or possessive before a noun trigger: "the talks", "this
 * visit", "her visit", "During the visit". */
static bool determiner_before(const char *s, size_t n, size_t sent_start, size_t t) {
  static const char *const d[] = {"the", "this", "that", "these", "those", "her", "his",
                                  "their", "its", "latest", "such"};
  size_t p = t;
  for (int k = 0; k < 3; k++) {
    size_t pw = ev_prev_word(s, p);
    if (pw == SIZE_MAX || pw < sent_start) return false;
    for (size_t q = 0; q < CD_ARRAY_LEN(d); q++)
      if (ev_word_at(s, n, pw, d[q])) return true;
    /* a possessive: "the Minister's successful visit", "Shoigu’s trip" */
    size_t we = pw;
    while (we < p && (ev_is_alpha(s[we]) || s[we] == '\'' || s[we] == '-')) we++;
    if (we >= pw + 3 && s[we - 1] == 's' &&
        (s[we - 2] == '\'' || (we >= pw + 5 && (unsigned char)s[we - 2] == 0x99 &&
                               (unsigned char)s[we - 3] == 0x80 && (unsigned char)s[we - 4] == 0xE2)))
      return true;
    /* stop at a verb-like or prepositional word */
    if (ev_word_at(s, n, pw, "a") || ev_word_at(s, n, pw, "an") || ev_word_at(s, n, pw, "in") ||
        ev_word_at(s, n, pw, "at") || ev_word_at(s, n, pw, "of"))
      return false;
    p = pw;
  }
  return false;
}

static bool background_words(const char *s, size_t n, size_t a, size_t b) {
  static const char *const w[] = {"previous", "previously", "prior", "earlier", "ago",
                                  "last visited", "last met", "last visit", "had visited",
                                  "had met", "at the time", "former"};
  return any_word_in(s, n, a, b, w, CD_ARRAY_LEN(w));
}

/* "the summit held in September 2023", "the meeting of security chiefs":
 * a noun that names its own occasion is not a reference back. */
static bool defined_after(const char *s, size_t n, size_t at, size_t te, const trig *t,
                          const ev_when *wv, size_t nw) {
  (void)at;
  if (strstr(t->w, " of") || strstr(t->w, " with") || strstr(t->w, " between")) return true;
  size_t e = te;
  while (e < n && s[e] == ' ') e++;
  if (ev_word_at(s, n, e, "held") || ev_word_at(s, n, e, "in") || ev_word_at(s, n, e, "on"))
    for (size_t k = 0; k < nw; k++)
      if (wv[k].start >= te && wv[k].start <= te + 24) return true;
  return false;
}

/* ---- people in a sentence ----------------------------------------------------- */

typedef struct sm {
  size_t start, end;
  uint32_t person;
  uint8_t speaker;    /* "X said" */
  uint8_t agent;      /* "on behalf of X", "according to X" */
  uint8_t consumed;   /* object of an earlier trigger in the sentence */
  const char *role;   /* "head of delegation", "host" from the context */
} sm;

static bool word_after(const char *s, size_t n, size_t e, const char *const *w, size_t nw) {
  while (e < n && (s[e] == ' ' || s[e] == ',')) e++;
  for (size_t k = 0; k < nw; k++)
    if (ev_word_at(s, n, e, w[k])) return true;
  return false;
}

/* Where the phrase before a name would end: back over spaces, commas and
 * a title ("Russian President", "Foreign Minister") of up to 4 capitalised
 * words. Computed once per mention; phrase_ends tests each phrase. */
static size_t before_title(const char *s, size_t start, size_t sent_start) {
  size_t e = start;
  while (e > sent_start && (s[e - 1] == ' ' || s[e - 1] == ',')) e--;
  for (int k = 0; k < 4; k++) {
    size_t pw = ev_prev_word(s, e);
    if (pw == SIZE_MAX || pw < sent_start || !ev_is_upper(s[pw])) break;
    e = pw;
    while (e > sent_start && s[e - 1] == ' ') e--;
  }
  return e;
}

/* The lowercase phrase p ends at e (a whole word before it). */
static bool phrase_ends(const char *s, size_t e, size_t sent_start, const char *p) {
  size_t l = strlen(p);
  if (e < sent_start + l) return false;
  if ((s[e - 1] | 0x20) != p[l - 1]) return false;
  for (size_t k = 0; k < l; k++) {
    char c = s[e - l + k];
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    if (c != p[k]) return false;
  }
  return e - l == 0 || !ev_is_alpha(s[e - l - 1]);
}

static size_t sentence_mentions(const char *s, size_t n, cd_span sent, const cd_mention *m,
                                size_t nm, int field, sm *out, size_t max) {
  static const char *const said[] = {"said", "says", "noted", "notes", "stated", "states",
                                     "added", "told", "emphasized", "stressed", "emphasised",
                                     "underlined", "remarked", "explained", "wrote", "recalled"};
  size_t k = 0;
  for (size_t i = 0; i < nm && k < max; i++) {
    if (m[i].field != field) continue;
    if (m[i].span.start < sent.start || m[i].span.end > sent.end) continue;
    if (k && out[k - 1].person == m[i].person && out[k - 1].end + 3 >= m[i].span.start) continue;
    {
      /* "at the Auberge de Castille", "in the Blue House": a name right
       * after a preposition and "the" is a building, not a person */
      size_t pw = ev_prev_word(s, m[i].span.start);
      if (pw != SIZE_MAX && pw >= sent.start && ev_word_at(s, n, pw, "the")) {
        size_t pw2 = ev_prev_word(s, pw);
        if (pw2 != SIZE_MAX && pw2 >= sent.start &&
            (ev_word_at(s, n, pw2, "at") || ev_word_at(s, n, pw2, "in") ||
             ev_word_at(s, n, pw2, "from") || ev_word_at(s, n, pw2, "inside")))
          continue;
      }
    }
    sm *x = &out[k++];
    memset(x, 0, sizeof *x);
    x->start = m[i].span.start;
    x->end = m[i].span.end;
    x->person = m[i].person;
    x->speaker = word_after(s, n, x->end, said, CD_ARRAY_LEN(said));
    size_t e = before_title(s, x->start, sent.start);
    x->agent = phrase_ends(s, e, sent.start, "on behalf of") ||
               phrase_ends(s, e, sent.start, "on the orders of") ||
               phrase_ends(s, e, sent.start, "on the instructions of") ||
               phrase_ends(s, e, sent.start, "according to") ||
               phrase_ends(s, e, sent.start, "sent by");
    if (phrase_ends(s, e, sent.start, "headed by") || phrase_ends(s, e, sent.start, "led by") ||
        phrase_ends(s, e, sent.start, "leading"))
      x->role = "head of delegation";
    else if (phrase_ends(s, e, sent.start, "at the invitation of") ||
             phrase_ends(s, e, sent.start, "invited by") ||
             phrase_ends(s, e, sent.start, "hosted by"))
      x->role = "host";
  }
  return k;
}

/* ---- building candidates ------------------------------------------------------- */

static void add_person(ev_cand *c, uint32_t p, const char *role) {
  for (size_t i = 0; i < c->np; i++)
    if (c->persons[i] == p) {
      if (!c->roles[i]) c->roles[i] = role;
      return;
    }
  if (c->np >= EV_MAX_PART) return;
  c->persons[c->np] = p;
  c->roles[c->np] = role;
  c->np++;
}

typedef struct found_trig {
  size_t at, len;
  const trig *t;
} found_trig;

typedef struct art_ctx {
  const cd_article *a;
  uint32_t ai;
  cd_date pub, ref;   /* pub: the anchor of relative dates (a dateline's date
                         when the body opens with one, else publication) */
  ev_cands *out;
  size_t first;   /* index of this article's first candidate in out */
  size_t dl_end;  /* body bytes of the dateline ("TALLINN, March 4 —"): its
                     date is the report's, never an event's */
  int8_t dl_month, dl_day;  /* a yearless dateline that could not be placed */
  uint8_t ref_done;         /* ref was looked for (article_ref) */
} art_ctx;

/* The tense of the trigger's own verb: -1 past ("met", "signed", "paid a
 * visit", "was signed"), 0 unknown (a noun, a present form). */
static int trigger_tense(const char *s, size_t n, size_t at) {
  static const char *const irregular[] = {"met", "held", "had", "sent", "paid", "made", "took",
                                          "came", "was", "were", "began", "spoke", "flew",
                                          "went", "gave", "sat", "shook", "passed"};
  size_t e = at;
  while (e < n && ev_is_alpha(s[e])) e++;
  if (e >= at + 4 && s[e - 1] == 'd' && s[e - 2] == 'e') return -1;
  for (size_t k = 0; k < CD_ARRAY_LEN(irregular); k++)
    if (ev_word_at(s, n, at, irregular[k])) return -1;
  return 0;
}

/* Between two names, only what joins co-subjects: "X and Y", "X, Y and Z",
 * "Finnish Prime Minister X and his Estonian counterpart Y", "X, the
 * foreign minister, and Y". Any other lowercase word (a verb: "X said Y")
 * breaks the chain. */
static bool coordinated(const char *s, size_t a, size_t b) {
  static const char *const ok[] = {"and", "the", "of", "his", "her", "their", "counterpart",
                                   "prime", "minister", "ministers", "president", "presidents",
                                   "foreign", "vice", "deputy", "secretary", "state", "general",
                                   "chief", "leader", "head", "premier", "chancellor", "king",
                                   "queen", "affairs", "defense", "defence", "trade", "finance",
                                   "economy", "chairman", "envoy", "special", "first"};
  if (b <= a || b - a > 90) return false;
  bool joiner = false;
  for (size_t i = a; i < b;) {
    char c = s[i];
    if (c == ',' || c == '&') { joiner = true; i++; continue; }
    if (c == ' ' || c == '\'' || c == '-') { i++; continue; }
    if ((unsigned char)c == 0xE2 && i + 2 < b) { i += 3; continue; }  /* ’ */
    if (!ev_is_alpha(c)) return false;
    size_t e = i;
    while (e < b && ev_is_alpha(s[e])) e++;
    if (ev_word_at(s, b, i, "and")) joiner = true;
    if (!ev_is_upper(c) && !((unsigned char)c & 0x80)) {
      bool f = false;
      for (size_t k = 0; k < CD_ARRAY_LEN(ok) && !f; k++) f = ev_word_at(s, b, i, ok[k]);
      if (!f) return false;
    }
    i = e;
  }
  return joiner;
}

static bool starts_with_pronoun(const char *s, size_t n, cd_span sent) {
  static const char *const p[] = {"he", "she", "his", "her", "they", "their"};
  for (size_t k = 0; k < CD_ARRAY_LEN(p); k++)
    if (ev_word_at(s, n, sent.start, p[k])) return true;
  return false;
}

static bool starts_anaphoric(const char *s, size_t n, cd_span sent) {
  static const char *const p[] = {"the talks", "the meeting", "the visit", "the summit", "it",
                                  "this", "they", "these talks", "the two sides",
                                  "the negotiations"};
  for (size_t k = 0; k < CD_ARRAY_LEN(p); k++)
    if (ev_word_at(s, n, sent.start, p[k])) return true;
  return false;
}

/* ev_find_place, skipping any span that is a person's mention ("met in
 * Jordan" is a place; "met Jordan Bardella" is not) */
static char *place_not_person(const char *s, size_t n, size_t from, size_t to, int mode,
                              const sm *ms, size_t nms) {
  while (from < to) {
    size_t pp = 0;
    char *pl = ev_find_place(s, n, from, to, mode, &pp);
    if (!pl) return NULL;
    bool person = false;
    for (size_t k = 0; k < nms && !person; k++) person = pp >= ms[k].start && pp < ms[k].end;
    if (!person) return pl;
    free(pl);
    from = pp + 1;
  }
  return NULL;
}

/* A full date the article itself writes places yearless ones. Found on
 * first need: only an article with no publication month needs it. */
static cd_date article_ref(art_ctx *cx) {
  if (cx->ref_done) return cx->ref;
  cx->ref_done = 1;
  for (int f = 0; f < 3 && cx->ref.prec == CD_PREC_NONE; f++) {
    const char *t = ev_field_text(cx->a, f);
    if (!t) continue;
    size_t tl = strlen(t), pos = 0;
    while (pos < tl) {
      cd_period p;
      size_t ms = 0, ml = 0;
      if (!cd_date_find(t + pos, tl - pos, cx->ref, &p, &ms, &ml) || !ml) break;
      if (p.start.prec >= CD_PREC_MONTH) { cx->ref = p.start; break; }
      pos += ms + ml;
    }
  }
  return cx->ref;
}

/* The date expressions of one sentence, offsets within the field, without
 * the dateline's own date. */
static size_t sentence_whens(const art_ctx *cx, int field, const char *s, cd_span sent,
                             ev_when *wv, size_t max) {
  size_t nw = ev_find_whens(s + sent.start, sent.end - sent.start, wv, max);
  size_t nkeep = 0;
  for (size_t k = 0; k < nw; k++) {
    wv[k].start += sent.start;
    wv[k].end += sent.start;
    if (field == CD_FIELD_BODY && wv[k].start < cx->dl_end) continue;  /* the dateline's date */
    wv[nkeep++] = wv[k];
  }
  return nkeep;
}

static void scan_sentence(art_ctx *cx, int field, const char *s, size_t n, cd_span sent,
                          const cd_mention *m, size_t nm, const cd_span *prev_sent,
                          size_t prev_cand_end) {
  found_trig tv[32];
  size_t nt = 0;
  /* one pass over the words: hash each (lowercase) as it is read, and
   * look the hash up among the triggers' first words */
  for (size_t i = sent.start; i < sent.end && nt < CD_ARRAY_LEN(tv);) {
    if (!ev_is_alpha(s[i])) { i++; continue; }
    size_t e = i;
    uint64_t h = 0xcbf29ce484222325ull;
    while (e < sent.end && ev_is_alpha(s[e])) {
      h = (h ^ (unsigned char)(s[e] | (ev_is_upper(s[e]) ? 0x20 : 0))) * 0x100000001b3ull;
      e++;
    }
    size_t len = 0;
    const trig *t = trigger_at(s, sent.end, i, e, h, &len);
    if (!t) { i = e; continue; }
    tv[nt++] = (found_trig){i, len, t};
    i += len;
  }
  if (!nt) return;

  sm ms[48];
  size_t nms = sentence_mentions(s, n, sent, m, nm, field, ms, CD_ARRAY_LEN(ms));
  /* the date expressions: looked for when a trigger first needs them
   * (most triggers are filtered out before) */
  ev_when wv[16];
  size_t nw = 0;
  bool have_whens = false;
#define NEED_WHENS() do { if (!have_whens) { have_whens = true; nw = sentence_whens(cx, field, s, sent, wv, CD_ARRAY_LEN(wv)); } } while (0)
  bool bgw = background_words(s, n, sent.start, sent.end);
  int two_leaders = -1;   /* computed when first needed: most sentences never ask */

  for (size_t ti = 0; ti < nt; ti++) {
    const trig *t = tv[ti].t;
    size_t at = tv[ti].at, te = at + tv[ti].len;
    size_t next = ti + 1 < nt ? tv[ti + 1].at : sent.end;
    cd_event_type type = t->type;
    bool planned = planned_before(s, n, sent.start, at, field, t);
    int tense = planned ? 1 : trigger_tense(s, n, at);

    /* -- filters that need the context of the word -- */
    if (t->type == CD_EV_STATEMENT && !message_near(s, n, te, CD_MIN(sent.end, te + 80)))
      continue;
    if (t->type == CD_EV_TREATY && t->kind == TK_FINITE &&
        !treaty_near(s, n, sent.start, sent.end))
      continue;
    if (type == CD_EV_MEETING && (ev_word_at(s, n, at, "received") ||
                                  ev_word_at(s, n, at, "receives")) &&
        message_near(s, n, te, CD_MIN(sent.end, te + 40)))
      type = CD_EV_STATEMENT;   /* "received a congratulatory message from" */
    if ((ev_word_at(s, n, at, "meet") || ev_word_at(s, n, at, "receive") ||
         ev_word_at(s, n, at, "sign") || ev_word_at(s, n, at, "ratify") ||
         ev_word_at(s, n, at, "travel to")) && !planned)
      continue;                 /* bare infinitive: "willingness to meet" */
    if (ev_word_at(s, n, at, "visit") && t->kind == TK_NOMINAL) {
      size_t pw = ev_prev_word(s, at);
      if (pw != SIZE_MAX && ev_word_at(s, n, pw, "to") && !planned) continue; /* "invited to visit" */
    }
    if (ev_word_at(s, n, at, "conference")) {
      /* a press or news conference is how a happening is told, not one */
      size_t pw = ev_prev_word(s, at);
      if (pw != SIZE_MAX && (ev_word_at(s, n, pw, "press") || ev_word_at(s, n, pw, "news")))
        continue;
    }
    if ((ev_word_at(s, n, at, "was in") || ev_word_at(s, n, at, "were in"))) {
      size_t pp;
      char *pl = ev_find_place(s, n, at, CD_MIN(sent.end, te + 40), EV_PL_GAZ, &pp);
      bool ok = pl != NULL && any_word_in(s, n, sent.start, sent.end,
                                          (const char *const[]){"delegation", "delegations"}, 2);
      free(pl);
      if (!ok) continue;
    }
    if (type == CD_EV_MEETING && ev_word_at(s, n, at, "hosted")) {
      /* "hosted a reception": a host with no guest named is not a meeting */
      size_t e = te;
      while (e < n && s[e] == ' ') e++;
      if (ev_word_at(s, n, e, "a") || ev_word_at(s, n, e, "an")) type = CD_EV_OTHER;
    }

    ev_cand c;
    memset(&c, 0, sizeof c);
    c.article = cx->ai;
    c.field = (uint8_t)field;
    c.sent = sent;
    c.trig = at;
    c.type = type;
    c.planned = planned;
    c.tenseless = !planned && field == CD_FIELD_TITLE && t->kind == TK_NOMINAL;
    c.merged_into = -1;
    c.anaphoric = t->kind == TK_NOMINAL && t->type != CD_EV_TREATY &&
                  determiner_before(s, n, sent.start, at);
    if (c.anaphoric) {
      NEED_WHENS();
      c.anaphoric = !defined_after(s, n, at, te, t, wv, nw);
    }

    /* -- subject: the name right before the trigger, else the nearest one
     * that is not an earlier trigger's object -- */
    long subj = -1;
    for (size_t k = nms; k-- > 0;) {
      if (ms[k].end > at) continue;
      if (ms[k].speaker && t->kind != TK_NOMINAL) continue;
      if (ms[k].agent) continue;
      /* immediate: nothing but a few words between name and trigger, no
       * comma and no conjunction ("Lavrov and met with" starts a new verb) */
      bool immediate = at - ms[k].end <= 40;
      for (size_t q = ms[k].end; q < at && immediate; q++)
        if (s[q] == ',' || s[q] == ';' || ev_word_at(s, n, q, "and") || ev_word_at(s, n, q, "or") ||
            ev_word_at(s, n, q, "but"))
          immediate = false;
      if (t->kind == TK_NEAR || t->kind == TK_NOMINAL) {
        /* "Shoigu visiting", "Shoigu, ..., on a visit to", "Shoigu's trip" */
        if (t->kind == TK_NOMINAL && !immediate && ms[k].end + 3 < at) break;
        subj = (long)k;
        break;
      }
      if (immediate || !ms[k].consumed) { subj = (long)k; break; }
    }
    if (subj >= 0) {
      add_person(&c, ms[subj].person, ms[subj].role ? ms[subj].role : t->subj_role);
      /* "X and Y signed": every co-subject, not only the nearest */
      for (size_t k = (size_t)subj; k > 0 && t->kind != TK_NOMINAL; k--) {
        const sm *pv = &ms[k - 1];
        if (pv->consumed || pv->speaker || pv->agent || !coordinated(s, pv->end, ms[k].start)) break;
        add_person(&c, pv->person, pv->role ? pv->role : t->subj_role);
      }
    }
    else if (t->kind != TK_NOMINAL && prev_sent && starts_with_pronoun(s, n, sent)) {
      /* "He met ...": the previous sentence's first person */
      sm tmp[1];
      if (sentence_mentions(s, n, *prev_sent, m, nm, field, tmp, 1))
        add_person(&c, tmp[0].person, t->subj_role);
    }

    /* -- objects: names after the trigger up to the next trigger -- */
    /* a bare noun ("the visit", "summit") takes no objects; "talks with X",
     * "meeting between X and Y" do */
    bool takes_obj = t->kind == TK_FINITE ||
                     (t->kind == TK_NOMINAL && !c.anaphoric &&
                      (strstr(t->w, " with") || strstr(t->w, " between") || strstr(t->w, " on") ||
                       word_after(s, n, te, (const char *const[]){"with", "between", "of"}, 3)));
    if (takes_obj) {
      for (size_t k = 0; k < nms; k++) {
        if (ms[k].start < te || ms[k].start >= next) continue;
        if (ms[k].speaker || ms[k].agent) continue;
        add_person(&c, ms[k].person, ms[k].role ? ms[k].role : t->obj_role);
        ms[k].consumed = 1;
      }
    }
    if (t->need_obj && c.np < 2 && type != CD_EV_STATEMENT) {
      bool has_obj = false;
      for (size_t k = 0; k < nms; k++)
        if (ms[k].start >= te && ms[k].start < next && !ms[k].speaker && !ms[k].agent) has_obj = true;
      if (!has_obj) { continue; }
    }
    if (c.np == 0 && ev_family_of(type) == EV_FAM_MEET && two_leaders < 0)
      /* "the two leaders", "the two presidents", "the leaders": the pair
       * the article is about */
      two_leaders = any_word_in(s, n, sent.start, sent.end,
                                (const char *const[]){"the two leaders", "both leaders",
                                                      "the two presidents", "the two ministers",
                                                      "the two prime ministers", "the leaders",
                                                      "the two foreign ministers",
                                                      "the two premiers", "both presidents"}, 9);
    if (c.np == 0 && two_leaders > 0 && ev_family_of(type) == EV_FAM_MEET) {
      /* "a previous exchange between the two leaders": the article's pair,
       * from its first event with two people (a meeting, a signing) */
      for (size_t q = cx->first; q < cx->out->n; q++) {
        const ev_cand *o = &cx->out->v[q];
        if (o->np >= 2 && o->type != CD_EV_OTHER) {
          for (size_t r = 0; r < o->np; r++) add_person(&c, o->persons[r], NULL);
          break;
        }
      }
    }
    if (c.np == 0 && starts_anaphoric(s, n, sent) && prev_cand_end > cx->first &&
        !c.anaphoric) {
      /* "The talks culminated in the signing of the treaty": the previous
       * sentence's event lends its people and date */
      const ev_cand *o = &cx->out->v[prev_cand_end - 1];
      for (size_t r = 0; r < o->np; r++) add_person(&c, o->persons[r], NULL);
      c.date = o->date;
      c.background = o->background;
      c.has_when = o->has_when;
    }

    /* -- date: the nearest expression in the sentence -- */
    if (!c.anaphoric) NEED_WHENS();
    if (!c.anaphoric && nw) {
      size_t best = SIZE_MAX, bd = SIZE_MAX;
      for (size_t k = 0; k < nw; k++) {
        size_t d = wv[k].end <= at ? at - wv[k].end : wv[k].start >= te ? wv[k].start - te : 0;
        if (d < bd) { bd = d; best = k; }
      }
      cd_date ref = cx->pub.prec < CD_PREC_MONTH && wv[best].kind == EV_W_EXPLICIT &&
                            wv[best].p.start.prec == CD_PREC_NONE
                        ? article_ref(cx) : cx->ref;
      c.date = ev_resolve(&wv[best], cx->pub, ref, tense);
      if (c.date.d.start.prec == CD_PREC_NONE && !c.date.month_hint && cx->dl_month &&
          (wv[best].kind == EV_W_WEEKDAY || wv[best].kind == EV_W_TODAY) &&
          (planned ? cx->dl_day + 7 <= 28 : cx->dl_day > 7))
        /* "on Monday" under an undatable "TALLINN, March 14 —": within a
         * week of the 14th, so in March; the year stays unknown */
        c.date.month_hint = cx->dl_month;
      c.has_when = 1;
      c.dated_here = 1;
    }

    /* -- place -- */
    bool motion = type == CD_EV_VISIT;
    ev_family tf = ev_family_of(type);
    int mode = motion ? EV_PL_MOTION : tf == EV_FAM_MEET || tf == EV_FAM_TREATY ? EV_PL_IN : EV_PL_GAZ;
    c.place = place_not_person(s, n, at, motion ? CD_MIN(next, te + 60) : next, mode, ms, nms);
    if (!c.place && ev_word_at(s, n, sent.start, "in")) {
      /* "In Hanoi, X held talks with Y": a scene-setting opener */
      size_t comma = sent.start;
      while (comma < at && s[comma] != ',') comma++;
      if (comma < at && comma <= sent.start + 40)
        c.place = place_not_person(s, n, sent.start, comma, EV_PL_IN, ms, nms);
    }

    /* -- main or background -- */
    bool headline = field == CD_FIELD_TITLE || field == CD_FIELD_LEAD;
    bool bg = bgw;
    if (!planned && c.has_when) {
      if (c.date.coarse || c.date.month_hint) {
        bool covers_pub = c.date.d.start.prec != CD_PREC_NONE && cx->pub.prec != CD_PREC_NONE &&
                          cd_date_first_day(c.date.d.start) <= cd_date_first_day(cx->pub) &&
                          cd_date_last_day(c.date.d.end) >= cd_date_first_day(cx->pub);
        if (!covers_pub) bg = true;
      } else if (c.date.d.start.prec == CD_PREC_DAY && cx->pub.prec == CD_PREC_DAY &&
                 cd_date_to_days(c.date.d.end) + 30 < cd_date_to_days(cx->pub)) {
        bg = true;
      }
    }
    if (headline && !bgw) bg = false;
    if (c.dated_here || !c.background) c.background = bg;

    if (c.np == 0 && !c.anaphoric && !c.has_when && t->kind == TK_NOMINAL) {
      free(c.place);
      continue;  /* "Meeting to discuss pressing matters": nothing to hold on to */
    }
    CD_GROW(cx->out->v, cx->out->n + 1, cx->out->cap);
    cx->out->v[cx->out->n++] = c;
  }
}

#undef NEED_WHENS

/* ---- per-article passes ----------------------------------------------------------- */

static bool dates_overlap(const ev_date *a, const ev_date *b) {
  if (a->d.start.prec == CD_PREC_NONE || b->d.start.prec == CD_PREC_NONE) return false;
  return cd_date_first_day(a->d.start) <= cd_date_last_day(b->d.end) &&
         cd_date_first_day(b->d.start) <= cd_date_last_day(a->d.end);
}

static bool has_date(const ev_date *d) { return d->d.start.prec != CD_PREC_NONE || d->month_hint; }

static bool dates_compatible(const ev_cand *a, const ev_cand *b) {
  bool ha = has_date(&a->date), hb = has_date(&b->date);
  if (ha && hb) {
    if (a->date.d.start.prec != CD_PREC_NONE && b->date.d.start.prec != CD_PREC_NONE)
      return dates_overlap(&a->date, &b->date);
    int ma = a->date.month_hint ? a->date.month_hint : a->date.d.start.month;
    int mb = b->date.month_hint ? b->date.month_hint : b->date.d.start.month;
    return ma == mb;
  }
  return a->background == b->background;
}

static bool subset(const ev_cand *a, const ev_cand *b) {  /* a ⊆ b */
  for (size_t i = 0; i < a->np; i++) {
    bool f = false;
    for (size_t j = 0; j < b->np; j++) f |= a->persons[i] == b->persons[j];
    if (!f) return false;
  }
  return true;
}

static bool share(const ev_cand *a, const ev_cand *b) {
  for (size_t i = 0; i < a->np; i++)
    for (size_t j = 0; j < b->np; j++)
      if (a->persons[i] == b->persons[j]) return true;
  return false;
}

static void fold_into(ev_cand *dst, ev_cand *src, bool people) {
  if (people)
    for (size_t i = 0; i < src->np; i++) add_person(dst, src->persons[i], src->roles[i]);
  if (src->place && (!dst->place || ev_place_rank(src->place) > ev_place_rank(dst->place))) {
    free(dst->place);
    dst->place = src->place;
    src->place = NULL;
  }
  if (!has_date(&dst->date) && has_date(&src->date)) dst->date = src->date;
  else if (dst->date.d.start.prec != CD_PREC_NONE && src->date.d.start.prec > dst->date.d.start.prec &&
           dates_overlap(&dst->date, &src->date))
    dst->date = src->date;
}

static size_t root_of(const ev_cands *cs, size_t i) {
  while (cs->v[i].merged_into >= 0) i = (size_t)cs->v[i].merged_into;
  return i;
}

/* "the summit" names a summit, "the talks" a meeting or talks. */
static bool refers_to(const ev_cand *ana, const ev_cand *o) {
  if (o->absorbed) return false;
  if (ana->type == CD_EV_MEETING || ana->type == CD_EV_TALKS)
    return o->type == CD_EV_MEETING || o->type == CD_EV_TALKS;
  return ana->type == o->type;
}

static void article_passes(art_ctx *cx) {
  ev_cands *cs = cx->out;
  size_t a = cx->first, b = cs->n;
  /* 1. the article's date context: the first main event dated in its own
   * sentence at day precision ("on March 21 met", "from January 15 to 17") */
  ev_date ctx;
  memset(&ctx, 0, sizeof ctx);
  for (size_t i = a; i < b; i++) {
    ev_cand *c = &cs->v[i];
    if (c->background || c->anaphoric || c->planned || !c->dated_here) continue;
    if (c->date.d.start.prec == CD_PREC_DAY) { ctx = c->date; break; }
  }
  if (ctx.d.start.prec == CD_PREC_NONE && cx->pub.prec >= CD_PREC_MONTH) {
    /* no date in the text: the publication month, not its day (a report
     * can come a day or more after the happening) */
    cd_date m = cd_date_make(cx->pub.year, cx->pub.month, 0);
    ctx.d = (cd_period){m, m};
  }
  for (size_t i = a; i < b; i++) {
    ev_cand *c = &cs->v[i];
    if (c->background || has_date(&c->date) || c->has_when) continue;
    c->date = ctx;
    c->date.coarse = 0;
  }
  /* 2. anaphora: "the talks", "this visit" join the nearest event of their
   * family told before (else after); alone, they need people or a date */
  for (size_t i = a; i < b; i++) {
    ev_cand *c = &cs->v[i];
    if (!c->anaphoric) continue;
    long tgt = -1;
    for (size_t j = i; j-- > a;)
      if (!cs->v[j].anaphoric && refers_to(c, &cs->v[j])) {
        tgt = (long)j;
        break;
      }
    if (tgt < 0)
      for (size_t j = i + 1; j < b; j++)
        if (!cs->v[j].anaphoric && refers_to(c, &cs->v[j])) {
          tgt = (long)j;
          break;
        }
    if (tgt >= 0) { c->merged_into = (int)tgt; continue; }
    c->anaphoric = 0;
    if (c->np == 0 && !c->has_when) c->absorbed = 1;  /* dropped: evidence of nothing */
  }
  /* 3. one happening told several times: same family, compatible dates,
   * same plan status, one cast within the other */
  for (size_t i = a; i < b; i++) {
    ev_cand *c = &cs->v[i];
    if (c->merged_into >= 0 || c->absorbed) continue;
    for (size_t j = a; j < i; j++) {
      ev_cand *o = &cs->v[j];
      if (o->merged_into >= 0 || o->absorbed) continue;
      if (ev_family_of(o->type) != ev_family_of(c->type)) continue;
      if (o->planned != c->planned && !o->tenseless && !c->tenseless) continue;
      /* a headline noun ("Lavrov arrives ... for talks") carries only the
       * article's context date: the body's own date decides */
      bool loose = (o->tenseless && !o->dated_here) || (c->tenseless && !c->dated_here);
      if (!loose && !dates_compatible(o, c)) continue;
      if (!(subset(c, o) || subset(o, c))) continue;
      if (o->tenseless && !o->dated_here && c->dated_here) o->date = c->date;
      fold_into(o, c, true);
      if (o->tenseless && !c->tenseless) {
        o->planned = c->planned;
        o->tenseless = 0;
      }
      if (o->background && !c->background) o->background = 0;
      c->merged_into = (int)j;
      break;
    }
  }
  /* 4. greetings and letters conveyed at a meeting or during a visit are
   * part of it, not separate events */
  for (size_t i = a; i < b; i++) {
    ev_cand *c = &cs->v[i];
    if (c->merged_into >= 0 || c->absorbed || c->type != CD_EV_STATEMENT || c->background) continue;
    long tgt = -1;
    for (int pass = 0; pass < 2 && tgt < 0; pass++)
      for (size_t j = a; j < b; j++) {
        ev_cand *o = &cs->v[j];
        if (j == i || o->merged_into >= 0 || o->absorbed || o->background) continue;
        ev_family f = ev_family_of(o->type);
        if (f != EV_FAM_MEET && f != EV_FAM_VISIT) continue;
        if (!dates_compatible(o, c)) continue;
        if (pass == 0 && !share(o, c)) continue;
        if (pass == 1 && f != EV_FAM_MEET) continue;
        tgt = (long)j;
        break;
      }
    if (tgt >= 0) c->merged_into = (int)tgt;
  }
  /* 5. a meeting with no place of its own happens where the visit it is
   * part of happens */
  for (size_t i = a; i < b; i++) {
    ev_cand *c = &cs->v[i];
    if (c->merged_into >= 0 || c->absorbed || c->place || ev_family_of(c->type) != EV_FAM_MEET)
      continue;
    for (size_t j = a; j < b; j++) {
      ev_cand *o = &cs->v[j];
      if (o->merged_into >= 0 || o->absorbed || o->type != CD_EV_VISIT || !o->place) continue;
      if (!dates_compatible(o, c) || !share(o, c)) continue;
      c->place = cd_xstrdup(o->place);
      break;
    }
  }
  (void)root_of;
}

void ev_scan_article(const cd_article *a, uint32_t ai, const cd_people *people,
                     const cd_mention *m, size_t nm, ev_cands *out) {
  (void)people;
  if (!a->body) return;
  pthread_once(&g_trig_once, trig_index_init);
  art_ctx cx = {a, ai, a->published, {0, 0, 0, CD_PREC_NONE}, out, out->n, 0, 0, 0, 0};
  /* a wire dateline: its date anchors "on Monday" and "yesterday" (it is
   * the day the report was filed, which an aggregator's date may not be) */
  cd_period dlp;
  size_t blen = strlen(a->body);
  cx.dl_end = ev_dateline(a->body, blen, &dlp);
  if (cx.dl_end) {
    cd_date d = dlp.start;
    if (d.prec == CD_PREC_NONE) {
      cd_date base = cx.pub.prec >= CD_PREC_MONTH ? cx.pub : article_ref(&cx);
      if (base.prec >= CD_PREC_MONTH) d = cd_date_nearest_year(dlp.start.month, dlp.start.day, base, 120);
    }
    if (d.prec == CD_PREC_DAY &&
        (cx.pub.prec != CD_PREC_DAY ||
         abs(cd_date_to_days(d) - cd_date_to_days(cx.pub)) <= 7)) {
      cx.pub = d;
    } else if (d.prec == CD_PREC_NONE && cx.pub.prec == CD_PREC_NONE) {
      cx.dl_month = dlp.start.month;
      cx.dl_day = dlp.start.day;
    }
  }
  for (int f = 0; f < 3; f++) {
    const char *t = ev_field_text(a, f);
    if (!t) continue;
    size_t tl = f == CD_FIELD_BODY ? blen : strlen(t);
    cd_span *sv = NULL;
    size_t ns = ev_sentences(t, tl, &sv);
    for (size_t k = 0; k < ns; k++)
      scan_sentence(&cx, f, t, tl, sv[k], m, nm, k ? &sv[k - 1] : NULL, out->n);
    free(sv);
  }
  article_passes(&cx);
}
