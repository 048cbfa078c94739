import { describe, expect, it } from "vitest";
import { analyze } from "../src/understand";

// Issue 11's examples from posts the model never trained on: advice phrased
// as a modal or "make sure", requests to a care account, failure narration,
// a churn threat, and a brand's own reply. The held-out figures are in
// `npm run eval`; these are the behaviours an agent sees in the inbox.

describe("understanding posts phrased the way people write them", () => {
  it("reads advice as a suggestion, whatever the domain", () => {
    expect(analyze("I would suggest not renting a car, the metro is easy.").labels).toContain("suggestion");
    expect(analyze("It would be nice if the app had a dark mode.").labels).toContain("suggestion");
    expect(analyze("Make sure you book the airport shuttle in advance.").labels).toContain("suggestion");
  });

  it("reads problem reports and requests to a care account as complaints", () => {
    expect(analyze("why is my bill so high?").labels).toContain("complaint");
    expect(analyze("*screams as the app crashes*").labels).toContain("complaint");
  });

  it("hears a threat to cancel as churn risk", () => {
    expect(analyze("I will cancel my subscription if this is not fixed today").labels).toContain("churn_risk");
  });

  it("does not take a brand's own reply for a complaint or a customer about to leave", () => {
    const reply = analyze("We're sorry to hear that. Please DM us your account email so we can take a look.");
    expect(reply.labels).not.toContain("complaint");
    expect(reply.labels).not.toContain("churn_risk");
  });
});

describe("a brand's own replies, requests to buy and advice (issue 11, remaining defects)", () => {
  it("does not call a brand's care reply spam, while real spam stays spam", () => {
    for (const reply of [
      "So sorry for the hold-up! Pop us a DM with your order number and we'll get it fixed.",
      "Hi Marco, thanks for contacting us! Please follow us and send a DM so we can help.",
      "Apologies for the wait, Ellie. DM us the email on your account and we'll look at the charge.",
    ]) {
      expect(analyze(reply).labels, reply).not.toContain("spam");
    }
    for (const spam of [
      "Get 5k followers overnight!!! DM us for cheap promo packages 🚀 www.fastfollowz.biz",
      "Cheap followers and likes, 10k for $5, DM us now 🔥 www.likes4u.biz",
    ]) {
      expect(analyze(spam).labels, spam).toContain("spam");
    }
  });

  it("never calls the workspace's own post spam when told it is outbound", () => {
    const text = "Giveaway! 🎉 Follow + retweet and click the link in our bio to win a free year of Pro";
    expect(analyze(text).labels).toContain("spam");
    expect(analyze(text, { outbound: true }).labels).not.toContain("spam");
  });

  it("reads a request to buy as a buying signal, not a suggestion", () => {
    for (const text of [
      "We want 40 seats, can you send a quote?",
      "We'd like 25 licences for the design team, could you send us pricing?",
    ]) {
      const a = analyze(text);
      expect(a.labels, text).toContain("purchase_intent");
      expect(a.labels, text).not.toContain("suggestion");
    }
    // A request for a change is still a suggestion.
    expect(analyze("Could you add a yearly billing option to the team plan?").labels).toContain("suggestion");
  });

  it("reads bare imperatives in reviews as advice, and plain review statements as not", () => {
    // Missed while the forum's words outweighed the imperative pattern (0.04 and 0.12); the pooled
    // suggestion head (docs/understanding.md) reads how a sentence is phrased, not its words.
    for (const text of ["Allow guests to check in online before they arrive.", "Bring earplugs, the street gets loud at night."]) {
      expect(analyze(text).labels, text).toContain("suggestion");
    }
    for (const text of ["The room was clean and the staff were friendly.", "We stayed three nights in June."]) {
      expect(analyze(text).labels, text).not.toContain("suggestion");
    }
  });

  it("reads modals as advice outside the forum's domain", () => {
    for (const text of [
      "I would suggest not booking the shuttle, the taxi is cheaper.",
      "It would be nice if the gym opened before 7am.",
      "You should ask for a room facing the garden.",
    ]) {
      expect(analyze(text).labels, text).toContain("suggestion");
    }
  });
});
