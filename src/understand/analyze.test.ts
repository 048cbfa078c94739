import { describe, expect, it } from "vitest";
import { Analyzer, analyze, INTENTS, loadDefaultModel, scorePriority } from ".";

describe("the committed model", () => {
  it("loads with thresholds for every intent", () => {
    const model = loadDefaultModel();
    for (const intent of INTENTS) {
      expect(model.thresholds[intent]).toBeGreaterThan(0);
      expect(model.thresholds[intent]).toBeLessThan(1);
    }
  });

  it("returns the whole analysis with probabilities in [0, 1] and a score in [-1, 1]", () => {
    const a = analyze("@SkyLinkAir where is my bag?");
    expect(Object.keys(a)).toEqual(["language", "sentiment", "intents", "labels", "priority", "reasons", "signals"]);
    expect(Object.keys(a.intents)).toEqual([...INTENTS]);
    for (const p of Object.values(a.intents)) expect(p).toBeGreaterThanOrEqual(0);
    for (const p of Object.values(a.intents)) expect(p).toBeLessThanOrEqual(1);
    expect(a.sentiment.score).toBeGreaterThanOrEqual(-1);
    expect(a.sentiment.score).toBeLessThanOrEqual(1);
    expect(a.priority).toBeGreaterThanOrEqual(0);
    expect(a.priority).toBeLessThanOrEqual(100);
  });

  const cases: Array<[string, string, (typeof INTENTS)[number]]> = [
    ["complaint", "@AcmeAir lost my luggage again and nobody answers the phone. Worst airline ever, I want a refund", "complaint"],
    ["complaint", "My order arrived broken and support never replied to my emails", "complaint"],
    ["question", "How do I change the billing address on my account?", "question"],
    ["question", "@NovaMobile does the family plan include international calls?", "question"],
    ["suggestion", "@FlowDeskHQ please add a dark mode to the mobile app, would be great", "suggestion"],
    ["suggestion", "It would be really useful if the app let us export reports to PDF", "suggestion"],
    ["praise", "Huge thanks to the support team, sorted my problem in five minutes. Amazing service!", "praise"],
    ["praise", "Love the new update, best app I've used all year 😍", "praise"],
    ["purchase_intent", "Looking to buy 50 licenses for our team, can someone from sales send a quote?", "purchase_intent"],
    ["purchase_intent", "What's the price of the premium plan? Thinking of upgrading", "purchase_intent"],
    ["churn_risk", "Cancelling my subscription today and switching to a competitor. Done with this.", "churn_risk"],
    ["churn_risk", "Moving my account to another bank next month, your fees are a joke", "churn_risk"],
    ["spam", "Earn $5000 a week from home!!! DM me now, limited spots 💰 http://bit.ly/x", "spam"],
    ["spam", "FREE iPhone giveaway 🔥 follow + retweet + click the link in bio to claim", "spam"],
  ];
  for (const [name, text, intent] of cases) {
    it(`labels a clear ${name}: "${text.slice(0, 40)}…"`, () => {
      expect(analyze(text).labels).toContain(intent);
    });
  }

  it("tells positive, negative and neutral posts apart, including negation and emoji", () => {
    expect(analyze("I love this, absolutely brilliant service! 😍").sentiment.label).toBe("positive");
    expect(analyze("This is terrible, the worst experience ever 😡").sentiment.label).toBe("negative");
    expect(analyze("What time does the store open on Sunday?").sentiment.label).toBe("neutral");
    expect(analyze("not happy at all with the delivery").sentiment.label).toBe("negative");
    const plain = analyze("the food was good").sentiment.score;
    const intense = analyze("the food was sooooo GOOD!!!").sentiment.score;
    expect(intense).toBeGreaterThanOrEqual(plain);
  });

  it("does not call an ordinary support request spam", () => {
    expect(analyze("@AcmeHelp my internet has been down since this morning, can you check?").labels).not.toContain("spam");
  });

  it("detects languages and says und when there is nothing to go on", () => {
    expect(analyze("@SkyLinkAir my flight was delayed and nobody told us anything").language).toBe("en");
    expect(analyze("La entrega llegó tarde otra vez, qué mal servicio").language).toBe("es");
    expect(analyze("Das Essen war kalt und der Fahrer war sehr unfreundlich").language).toBe("de");
    expect(analyze("Merci pour la livraison rapide, tout était parfait").language).toBe("fr");
    expect(analyze("@acme 👍 https://acme.example").language).toBe("und");
    expect(analyze("配達が遅れています").language).toBe("ja");
    expect(analyze("Доставка опять опоздала").language).toBe("ru");
  });
});

describe("thresholds and labels", () => {
  it("lists exactly the intents at or above their thresholds", () => {
    const analyzer = new Analyzer(loadDefaultModel());
    for (const text of ["Cancel my account now, this is a scam", "Is the store open today?", "thanks!!", "buy cheap followers now"]) {
      const a = analyzer.analyze(text);
      const expected = INTENTS.filter((i) => a.intents[i] >= analyzer.model.thresholds[i]);
      expect(a.labels).toEqual(expected);
    }
  });

  it("moves labels when a threshold moves", () => {
    const model = { ...loadDefaultModel() };
    const strict = new Analyzer({ ...model, thresholds: Object.fromEntries(INTENTS.map((i) => [i, 1.01])) as typeof model.thresholds });
    const lax = new Analyzer({ ...model, thresholds: Object.fromEntries(INTENTS.map((i) => [i, 0])) as typeof model.thresholds });
    expect(strict.analyze("My order never arrived, I want a refund").labels).toEqual([]);
    expect(lax.analyze("My order never arrived, I want a refund").labels).toEqual([...INTENTS]);
  });
});

describe("priority", () => {
  it("ranks an angry complaint from a big account above a casual question, and says why", () => {
    const complaint = analyze("@AcmeAir you lost my bag and I want a refund NOW. Unacceptable 😡", {
      followers: 48_000,
      lifecycleStage: "customer",
      waitingMinutes: 300,
    });
    const question = analyze("what time does the store open?");
    expect(complaint.priority).toBeGreaterThan(question.priority);
    expect(complaint.reasons[0]).toMatch(/48k followers/);
    expect(complaint.reasons[0]).toMatch(/'refund'/);
    expect(complaint.reasons[0]).toMatch(/negative/);
  });

  it("adds points for reach, customer value and waiting time", () => {
    const base = {
      intents: { complaint: 0.9, question: 0, suggestion: 0, praise: 0, purchase_intent: 0, churn_risk: 0, spam: 0 },
      labels: ["complaint" as const],
      sentiment: { label: "negative" as const, score: -0.6 },
      urgency: [],
    };
    const plain = scorePriority(base).priority;
    expect(scorePriority(base, { followers: 100_000 }).priority).toBeGreaterThan(plain);
    expect(scorePriority(base, { lifecycleStage: "opportunity", openDeals: 1, openDealValue: 50_000 }).priority).toBeGreaterThan(plain);
    expect(scorePriority(base, { waitingMinutes: 2 * 24 * 60 }).summary).toMatch(/waiting 2 days/);
  });

  it("keeps spam at the bottom", () => {
    const a = analyze("Earn $5000 a week from home!!! DM me now, limited spots 💰 http://bit.ly/x", { followers: 1_000_000 });
    expect(a.priority).toBeLessThanOrEqual(5);
  });

  it("includes products from the workspace dictionary when given", () => {
    const a = analyze("My Volta 3 won't charge and the Volta app crashes", { products: ["Volta 3", "Volta 5", "Volta app"] });
    expect(a.products).toEqual(["Volta 3", "Volta app"]);
  });
});

describe("signals", () => {
  it("reports irony and toxic probabilities, flags abuse, and never changes the labels", () => {
    const base = loadDefaultModel();
    const abusive = "you are a disgusting pig and everyone hates you";
    const a = new Analyzer(base).analyze(abusive);
    expect(a.signals.toxic).toBeGreaterThanOrEqual(base.signalThresholds.toxic);
    expect(a.reasons.some((r) => r.startsWith("offensive"))).toBe(true);
    const calm = new Analyzer(base).analyze("@AcmeHelp my order is 3 weeks late, please refund me");
    expect(calm.signals.toxic).toBeLessThan(base.signalThresholds.toxic);
    for (const p of [...Object.values(a.signals), ...Object.values(calm.signals)]) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    // The same model with the toxic signal always on / always off: same labels, priority only up.
    const on = new Analyzer({ ...base, signalThresholds: { irony: 0, toxic: 0 } });
    const off = new Analyzer({ ...base, signalThresholds: { irony: 1.01, toxic: 1.01 } });
    for (const text of [abusive, "@AcmeHelp you useless idiots, my order is 3 weeks late, refund me now", "Loving the new dashboard!"]) {
      const x = on.analyze(text);
      const y = off.analyze(text);
      expect(x.labels).toEqual(y.labels);
      expect(x.sentiment).toEqual(y.sentiment);
      expect(x.priority).toBeGreaterThanOrEqual(y.priority);
    }
  });
});

describe("model file", () => {
  it("a loaded model (whose float weights are built only on demand) re-serializes to the same weights", async () => {
    const { readFileSync } = await import("node:fs");
    const { DEFAULT_MODEL_PATH, parseModel, serializeModel } = await import("./model");
    const text = readFileSync(DEFAULT_MODEL_PATH, "utf8");
    const again = JSON.parse(serializeModel(parseModel(text)));
    const original = JSON.parse(text);
    expect(again.weights).toBe(original.weights);
    expect(again.scales).toEqual(original.scales);
  });
});
