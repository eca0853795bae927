/** `SPARKY_E2E=0` skips the end-to-end suites on a machine without Docker; CI always runs them. */
export const describeE2E: jest.Describe = process.env.SPARKY_E2E === "0" ? describe.skip : describe;
