import { describe, expect, it } from "vitest";
import { HttpError } from "@/lib/queries/fetch-json";
import { escalationInputSchema } from "@/lib/contracts/notify";
import { policyBody } from "./escalation-editor";
import { formatMinutes } from "./escalation-dry-run";
import { badFields } from "./ui";

// What the admin forms send and how they read the server's answers.
describe("policyBody: saving one severity's levels", () => {
  it("sends only the severity edited (the PATCH keeps every other as saved on the server) and leaves a last level's empty wait out", () => {
    const body = policyBody("high", [{ after: " 15m ", endpoints: [2] }, { after: "", endpoints: [1] }]);
    expect(body).toEqual({ policies: { high: { levels: [{ after: "15m", endpoints: [2] }, { endpoints: [1] }] } } });
    expect(escalationInputSchema.safeParse(body).success).toBe(true);
  });

  it("removes a severity whose levels were all removed (no levels), and sends an empty wait before the last level so the server names it", () => {
    expect(policyBody("high", [])).toEqual({ policies: { high: { levels: [] } } });
    expect(escalationInputSchema.safeParse(policyBody("high", [])).success).toBe(true);
    const body = policyBody("low", [{ after: "", endpoints: [1] }, { after: "", endpoints: [1] }]);
    expect(body.policies.low!.levels[0]).toEqual({ after: "", endpoints: [1] });
    const parsed = escalationInputSchema.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0].path).toEqual(["policies", "low", "levels", 0, "after"]);
  });
});

describe("badFields: the fields a 400 names", () => {
  it("reads the path before the colon of each issue in a 400's message", () => {
    expect([...badFields(new HttpError(400, "invalid_body", 'url: only http and https URLs are allowed, not "ftp:"', null))]).toEqual(["url"]);
    expect([...badFields(new HttpError(400, "invalid_body", "rule: expected a rule name; steps.1.text: Too small: expected string to have >=1 characters", null))]).toEqual(["rule", "steps.1.text"]);
    expect([...badFields(new HttpError(400, "invalid_body", "policies.high.levels.0.after: invalid duration", null))]).toEqual(["policies.high.levels.0.after"]);
  });
  it("names no field for other answers", () => {
    expect(badFields(new HttpError(409, "conflict", "steps: taken", null)).size).toBe(0);
    expect(badFields(new HttpError(400, "invalid_json", "body is not valid JSON", null)).size).toBe(0);
    expect(badFields(null).size).toBe(0);
  });
});

describe("formatMinutes", () => {
  it("writes the dry run's minutes in hours, minutes and seconds", () => {
    expect(formatMinutes(15)).toBe("15 min");
    expect(formatMinutes(90)).toBe("1 h 30 min");
    expect(formatMinutes(120)).toBe("2 h");
    expect(formatMinutes(1.5)).toBe("1 min 30 s");
  });
});
