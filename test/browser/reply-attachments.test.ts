// Images on a reply (issue #14), in the inbox: an agent attaches images to the composer (file
// input and paste), a page renamed .png is refused in words, an alt text is written and one image
// removed; the reply is delivered by the running server's worker to the (local, API-checking)
// Mastodon with its image uploaded first, and the thread shows the image served by Parley.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MastodonFake, startMastodonFake } from "../connectors/fakes/mastodon";
import { allowPrivateUrls } from "../connectors/fakes/server";
import { type BrowserHarness, createWorkspace, openBrowserHarness, pollMastodon } from "./harness";

/** A 2×1 PNG (red, blue). */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAD0lEQVR4nGP4z8DAwPAfAAcAAf9+CLHQAAAAAElFTkSuQmCC", "base64");

describe("reply attachments", () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";
  let pageErrors: string[] = [];
  let fake: MastodonFake;
  let restoreEnv: () => void = () => undefined;

  beforeAll(async () => {
    restoreEnv = allowPrivateUrls("1");
    fake = await startMastodonFake();
    harness = await openBrowserHarness("reply-attachments");
    ({ page, base, pageErrors } = harness);
  });

  afterAll(async () => {
    await harness?.close();
    await fake?.close();
    restoreEnv();
  });

  it("attaches an image in the composer and sees it delivered to Mastodon and shown in the thread", async () => {
    await createWorkspace(page, base, {
      name: "Ada Lovelace",
      email: "ada@example.com",
      password: "analytical-engine",
      workspace: "Engines Ltd",
    });

    const status = fake.addStatus({ tag: "kettle", content: "<p>My kettle's lid hinge snapped off. Which part do I need?</p>" });
    await pollMastodon(page, base, fake, "kettle");

    await page.getByRole("link", { name: "Inbox" }).click();
    await page.getByText("lid hinge snapped off").first().click();
    const composer = page.getByRole("form", { name: "Reply" });
    await composer.waitFor();
    await composer.getByText("0 / 4 · PNG, JPEG, GIF or WebP up to 5 MB · or paste").waitFor();

    // A page renamed .png is refused in words; the real image is taken.
    const input = composer.locator('input[type="file"]');
    await input.setInputFiles([
      { name: "hinge.png", mimeType: "image/png", buffer: PNG },
      { name: "invoice.png", mimeType: "image/png", buffer: Buffer.from("<!doctype html><p>not a picture</p>") },
    ]);
    await composer.getByTestId("image-refused").filter({ hasText: "“invoice.png” is not an image Parley can send" }).waitFor();
    await expect.poll(() => composer.getByTestId("reply-image").count()).toBe(1);

    // A second image pasted into the text, then removed again.
    await composer.getByRole("textbox", { name: "Reply text" }).evaluate(
      (el, bytes) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], "pasted.png", { type: "image/png" }));
        el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
      },
      [...PNG],
    );
    await expect.poll(() => composer.getByTestId("reply-image").count()).toBe(2);
    await composer.getByRole("button", { name: "Remove pasted.png" }).click();
    await expect.poll(() => composer.getByTestId("reply-image").count()).toBe(1);

    await composer.getByRole("textbox", { name: "Alt text for hinge.png" }).fill("The hinge pin, part K-12");
    await composer.getByRole("textbox", { name: "Reply text" }).fill("It is this pin, we are sending one today.");
    await composer.getByRole("button", { name: "Send" }).click();

    // The reply is in the thread with its image, and turns "Sent" once the worker delivered it.
    const sent = page.getByRole("list", { name: "Messages" }).getByRole("listitem").filter({ hasText: "we are sending one today" });
    await sent.waitFor();
    const image = sent.getByRole("img", { name: "The hinge pin, part K-12" });
    await image.waitFor();
    // served by Parley to the signed-in agent: the browser decoded it as the 2×1 image
    await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => sent.getByTestId("delivery-status").textContent(), { timeout: 20_000 }).toBe("Sent");
    await expect.poll(() => composer.getByTestId("reply-image").count()).toBe(0);

    // Mastodon got the image (multipart `file`, alt text as `description`) and then the status naming it.
    expect(fake.media).toHaveLength(1);
    expect(fake.media[0]).toMatchObject({ description: "The hinge pin, part K-12", contentType: "image/png", filename: "hinge.png" });
    expect(fake.media[0]?.bytes.equals(PNG)).toBe(true);
    expect(fake.posted).toHaveLength(1);
    expect(fake.posted[0]?.body).toMatchObject({ in_reply_to_id: status.id, media_ids: [fake.media[0]?.id] });
    expect(pageErrors).toEqual([]);
  });
});
