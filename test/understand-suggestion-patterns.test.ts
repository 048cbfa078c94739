import { describe, expect, it } from "vitest";
import { Analyzer } from "../src/understand/analyze";
import type { Example } from "../src/understand/datasets";
import { FeatureBuffer, featurize, LexiconTable, SENTIMENT_PATTERNS, SUGGEST } from "../src/understand/features";
import { INTENTS, OUTPUTS } from "../src/understand/model";
import { scan, TokenBuffer } from "../src/understand/tokenizer";
import { mulberry32, trainModel } from "../src/understand/training";

// Feature set 3: advice patterns that feed the suggestion head alone (issue 11).
// Other heads must not see them, so a model gaining them moves no other figure.

const names = Object.keys(SUGGEST) as Array<keyof typeof SUGGEST>;
function patterns(text: string, table = new LexiconTable([], 3)): string[] {
  const tokens = new TokenBuffer();
  const features = new FeatureBuffer();
  scan(text, tokens);
  featurize(tokens, table, (1 << 18) - 1, features);
  return names.filter((name) => features.suggest[SUGGEST[name]] > 0);
}

describe("suggestion-only patterns", () => {
  it("finds imperatives the shared advice roles do not know", () => {
    expect(patterns("Don't bother with the breakfast.")).toContain("negatedImperative");
    expect(patterns("Do not buy this one")).toContain("negatedImperative");
    expect(patterns("If you go, try the rooftop bar")).toEqual(expect.arrayContaining(["imperative", "ifYouImperative"]));
    expect(patterns("You might want to bring earplugs")).toContain("youModal");
    expect(patterns("Be sure to keep the box")).toContain("caution");
    expect(patterns("Stick to the small sizes and save your money")).toEqual(expect.arrayContaining(["imperativeFirst", "imperativeYour"]));
    expect(patterns("Go with the other brand instead")).toEqual(expect.arrayContaining(["imperativeFirst", "instead"]));
    // Statements, and a noun before an auxiliary, are not advice.
    expect(patterns("I love this phone and the battery lasts")).toEqual([]);
    expect(patterns("Stay was great, staff were friendly")).toEqual([]);
    expect(patterns("I don't think it works")).toEqual([]);
  });

  it("leaves the shared features exactly as in feature set 2", () => {
    const texts = ["Don't bother with the breakfast.", "If you go, try the rooftop bar", "@acme lost my bag AGAIN 😡 refund pls"];
    for (const text of texts) {
      const out = [2, 3].map((set) => {
        const tokens = new TokenBuffer();
        const features = new FeatureBuffer();
        scan(text, tokens);
        featurize(tokens, new LexiconTable([], set), (1 << 18) - 1, features);
        return { idx: Array.from(features.idx.subarray(0, features.count)), val: Array.from(features.val.subarray(0, features.count)) };
      });
      expect(out[1]).toEqual(out[0]);
    }
  });

  it("trains into the suggestion output alone: every other weight, bias and cut is as in feature set 2", () => {
    const examples = syntheticExamples();
    const [two, three] = [2, 3].map((featureSet) => trainModel(examples, { bits: 12, epochs: 2, featureSet }));
    expect(two.suggestionPatterns).toBeUndefined();
    expect(three.suggestionPatterns?.some((w) => w !== 0)).toBe(true);
    const suggestion = 3 + INTENTS.indexOf("suggestion");
    let differing = 0;
    for (let i = 0; i < two.weights.length; i++) {
      if (i % OUTPUTS === suggestion) continue;
      if (two.weights[i] !== three.weights[i]) differing++;
    }
    expect(differing).toBe(0);
    for (let k = 0; k < OUTPUTS; k++) if (k !== suggestion) expect(three.bias[k]).toBe(two.bias[k]);
    for (const intent of INTENTS) if (intent !== "suggestion") expect(three.thresholds[intent]).toBe(two.thresholds[intent]);
    expect(three.sentimentOffsets).toEqual(two.sentimentOffsets);
    expect(Array.from(three.reply?.weights ?? [])).toEqual(Array.from(two.reply?.weights ?? []));

    // Scoring: the patterns add to the suggestion logit and to nothing else.
    const analyzer = new Analyzer(three);
    const without = new Analyzer({ ...three, suggestionPatterns: undefined });
    let moved = 0;
    for (const text of ["Don't bother with the breakfast.", "If you go, try the rooftop bar", "Great phone, love it"]) {
      const a = Array.from(analyzer.logits(text));
      const b = Array.from(without.logits(text));
      for (let k = 0; k < OUTPUTS; k++) if (k !== suggestion) expect(a[k]).toBe(b[k]);
      if (a[suggestion] !== b[suggestion]) moved++;
    }
    expect(moved).toBeGreaterThan(0);
  });

  it("sentiment-only patterns train the sentiment outputs alone", () => {
    const examples = syntheticExamples();
    const [off, on] = [false, true].map((sentimentPatterns) => trainModel(examples, { bits: 12, epochs: 2, sentimentPatterns }));
    expect(off.sentimentPatterns).toBeUndefined();
    expect(on.sentimentPatterns?.length).toBe(3 * SENTIMENT_PATTERNS);
    let differing = 0;
    for (let i = 0; i < off.weights.length; i++) if (i % OUTPUTS >= 3 && off.weights[i] !== on.weights[i]) differing++;
    expect(differing).toBe(0);
    for (let k = 3; k < OUTPUTS; k++) expect(on.bias[k]).toBe(off.bias[k]);
    expect(on.thresholds).toEqual(off.thresholds);
  });
});

/** Small labelled posts in every role (sentiment, suggestion, buying, complaint) and both splits. */
function syntheticExamples(): Example[] {
  const random = mulberry32(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const none = () => INTENTS.map(() => undefined) as Array<0 | 1 | undefined>;
  const out: Example[] = [];
  const things = ["breakfast", "room", "charger", "app", "export button", "battery", "pool"];
  for (let i = 0; i < 400; i++) {
    const thing = pick(things);
    const kind = i % 4;
    const intents = none();
    let text = "";
    let sentiment: 0 | 1 | 2 | undefined;
    if (kind === 0) {
      text = pick([
        `Don't bother with the ${thing}.`,
        `If you go, try the ${thing}`,
        `You might want to check the ${thing}`,
        `Add a ${thing} please`,
      ]);
      intents[INTENTS.indexOf("suggestion")] = 1;
    } else if (kind === 1) {
      text = pick([`The ${thing} was fine`, `I used the ${thing} today`, `Our ${thing} arrived on Monday`]);
      intents[INTENTS.indexOf("suggestion")] = 0;
      sentiment = 1;
    } else if (kind === 2) {
      text = pick([`Love the ${thing}, great work`, `The ${thing} is awful, I want a refund`]);
      sentiment = text.startsWith("Love") ? 2 : 0;
      intents[INTENTS.indexOf("complaint")] = text.startsWith("Love") ? 0 : 1;
    } else {
      text = pick([`How much is the ${thing}? We want 40`, `Can I order a ${thing}?`]);
      intents[INTENTS.indexOf("purchase_intent")] = 1;
      intents[INTENTS.indexOf("suggestion")] = 0;
    }
    out.push({ source: i % 8 < 4 ? "dev" : "suggestions", text, sentiment, intents, weight: 1, split: i % 5 === 0 ? "calib" : "train" });
  }
  return out;
}
