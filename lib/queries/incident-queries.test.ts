import { describe, expect, it } from "vitest";
import { ACTIVE_FIRST_PAGE, INCIDENT_PAGE } from "./incident-queries";
import { FLOOD_THRESHOLD } from "@/components/incidents/incident-items";

describe("the first load's page of active incidents", () => {
  it("holds every incident of a list short enough to be shown row by row (the list groups only past FLOOD_THRESHOLD)", () => {
    expect(ACTIVE_FIRST_PAGE).toBeGreaterThan(FLOOD_THRESHOLD);
  });
  it("is smaller than a group's page, so the first load stays small", () => {
    expect(ACTIVE_FIRST_PAGE).toBeLessThan(INCIDENT_PAGE);
  });
});
