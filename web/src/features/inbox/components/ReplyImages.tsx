// Images on a reply: the composer's picker (file input and paste, thumbnails with alt text and a
// remove button, refusals in words) and the images of a sent reply in the thread. What a file is
// comes from its bytes, as the server decides it; the network's limits come from the composer.
import { ActionIcon, Anchor, Button, FileButton, Group, Image, Stack, Text, TextInput } from "@mantine/core";
import { IconPhoto, IconX } from "@tabler/icons-react";
import { useEffect, useRef, useState } from "react";
import type { ReplyAttachment } from "../../../../../src/contracts/replies";
import { type AttachmentType, type ReplyComposer as ComposerInfo, sniffImageType } from "../../../../../src/contracts/replies";

export type PickedImage = {
  key: string;
  name: string;
  type: AttachmentType;
  size: number;
  dataBase64: string;
  previewUrl: string;
  alt: string;
};

type Limits = NonNullable<ComposerInfo["attachments"]>;

/** A size in the unit the limit is set in, rounded up (as the server words it). */
function sizeWords(bytes: number, limit: number) {
  const unit = limit % 1_048_576 === 0 ? 1_048_576 : 1_000_000;
  return { size: `${Math.ceil((bytes / unit) * 100) / 100} MB`, limit: `${Math.round((limit / unit) * 100) / 100} MB` };
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

let seq = 0;

/** The images picked for the next reply, and what was refused, in words. */
export function useReplyImages(limits: Limits | undefined, network: string) {
  const [images, setImages] = useState<PickedImage[]>([]);
  const [refusals, setRefusals] = useState<string[]>([]);
  const current = useRef(images);
  current.current = images;
  // object URLs live as long as their thumbnails
  useEffect(
    () => () => {
      for (const i of current.current) URL.revokeObjectURL(i.previewUrl);
    },
    [],
  );

  async function add(files: File[]) {
    if (!limits || files.length === 0) return;
    const taken: PickedImage[] = [];
    const refused: string[] = [];
    for (const file of files) {
      const name = file.name || "pasted image";
      if (current.current.length + taken.length >= limits.max) {
        refused.push(
          `“${name}” was not added: ${network} takes at most ${limits.max} ${limits.max === 1 ? "image" : "images"} with a reply.`,
        );
        continue;
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const type = sniffImageType(bytes);
      if (!type) {
        refused.push(`“${name}” is not an image Parley can send: only PNG, JPEG, GIF and WebP files can be attached.`);
        continue;
      }
      if (bytes.length > limits.max_bytes) {
        const words = sizeWords(bytes.length, limits.max_bytes);
        refused.push(`“${name}” is ${words.size}; ${network} takes images up to ${words.limit}.`);
        continue;
      }
      taken.push({
        key: `img-${++seq}`,
        name,
        type,
        size: bytes.length,
        dataBase64: toBase64(bytes),
        previewUrl: URL.createObjectURL(new Blob([bytes], { type })),
        alt: "",
      });
    }
    setRefusals(refused);
    if (taken.length) setImages((list) => [...list, ...taken]);
  }

  function remove(key: string) {
    setImages((list) => {
      const gone = list.find((i) => i.key === key);
      if (gone) URL.revokeObjectURL(gone.previewUrl);
      return list.filter((i) => i.key !== key);
    });
  }

  function clear() {
    for (const i of current.current) URL.revokeObjectURL(i.previewUrl);
    setImages([]);
    setRefusals([]);
  }

  const setAlt = (key: string, alt: string) => setImages((list) => list.map((i) => (i.key === key ? { ...i, alt } : i)));

  /** Images in the clipboard are attached; text pastes as usual. */
  function onPaste(e: React.ClipboardEvent) {
    if (!limits || limits.max === 0) return;
    const files = [...e.clipboardData.files].filter((f) => f.type.startsWith("image/"));
    if (files.length === 0) return;
    e.preventDefault();
    void add(files);
  }

  const payload = () =>
    images.map((i) => ({
      data_base64: i.dataBase64,
      content_type: i.type,
      filename: i.name,
      ...(i.alt.trim() ? { alt: i.alt.trim() } : {}),
    }));

  return { images, refusals, add, remove, clear, setAlt, onPaste, payload };
}

type Picker = ReturnType<typeof useReplyImages>;

export function ImagePicker({ picker, limits, errors }: { picker: Picker; limits: Limits | undefined; errors: Record<string, string> }) {
  if (!limits) return null;
  if (limits.max === 0) {
    return (
      <Text size="xs" c="dimmed" data-testid="images-unavailable">
        {limits.reason ?? "No images can be sent here."}
      </Text>
    );
  }
  const full = picker.images.length >= limits.max;
  const serverErrors = Object.entries(errors).filter(([field]) => field.startsWith("attachments"));
  return (
    <Stack gap={6}>
      {picker.images.length > 0 && (
        <Group gap="sm" align="flex-start" data-testid="reply-images">
          {picker.images.map((img, i) => (
            <Stack key={img.key} gap={4} w={150} data-testid="reply-image">
              <Group gap={4} wrap="nowrap" justify="space-between">
                <Image src={img.previewUrl} alt={img.alt || `Image ${i + 1}: ${img.name}`} h={72} w={110} fit="cover" radius="sm" />
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="sm"
                  aria-label={`Remove ${img.name}`}
                  onClick={() => picker.remove(img.key)}
                >
                  <IconX size={14} />
                </ActionIcon>
              </Group>
              <TextInput
                size="xs"
                aria-label={`Alt text for ${img.name}`}
                placeholder="Describe the image (alt text)"
                value={img.alt}
                maxLength={1500}
                onChange={(e) => picker.setAlt(img.key, e.currentTarget.value)}
                error={errors[`attachments[${i}]`]}
              />
            </Stack>
          ))}
        </Group>
      )}
      <Group gap="xs">
        <FileButton onChange={(files) => void picker.add(files)} accept="image/png,image/jpeg,image/gif,image/webp" multiple>
          {(props) => (
            <Button {...props} size="compact-xs" variant="subtle" leftSection={<IconPhoto size={14} />} disabled={full}>
              Attach image
            </Button>
          )}
        </FileButton>
        <Text size="xs" c="dimmed">
          {picker.images.length} / {limits.max} · PNG, JPEG, GIF or WebP up to {sizeWords(0, limits.max_bytes).limit} · or paste
        </Text>
      </Group>
      {[...picker.refusals, ...serverErrors.filter(([f]) => f === "attachments").map(([, m]) => m)].map((words) => (
        <Text key={words} size="xs" c="red" role="alert" data-testid="image-refused">
          {words}
        </Text>
      ))}
    </Stack>
  );
}

/** The images sent with a reply, in the thread: each opens full size in a new tab. */
export function MessageImages({ attachments }: { attachments: ReplyAttachment[] }) {
  return (
    <Group gap="xs" mt={6} data-testid="message-images">
      {attachments.map((a, i) => (
        <Anchor key={a.id} href={a.url} target="_blank" rel="noopener noreferrer">
          <Image src={a.url} alt={a.alt || a.filename || `Image ${i + 1}`} h={96} w="auto" maw={200} fit="contain" radius="sm" />
        </Anchor>
      ))}
    </Group>
  );
}
