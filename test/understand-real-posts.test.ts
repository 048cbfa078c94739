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
