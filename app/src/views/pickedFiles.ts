import type { PickedFile } from '../api/client.js';

/** Files from an `<input type=file>`; folder pickers give each file its path inside the folder. */
export function fromFileList(files: FileList | null): PickedFile[] {
  return Array.from(files ?? []).map((file) => ({ file, relativePath: file.webkitRelativePath || file.name }));
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> {
  const relativePath = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, relativePath });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries hands out a directory in chunks; an empty chunk means the end.
  for (let chunk = await readEntries(reader); chunk.length > 0; chunk = await readEntries(reader)) {
    for (const child of chunk) await walk(child, relativePath, out);
  }
}

/**
 * What was dropped on the window. The desktop reads dropped files and folders in place, so it
 * takes them as they are; the browser must upload files one by one, so folders are walked.
 */
export async function fromDrop(transfer: DataTransfer, walkFolders: boolean): Promise<PickedFile[]> {
  if (!walkFolders) return fromFileList(transfer.files);
  const entries = Array.from(transfer.items)
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null);
  const out: PickedFile[] = [];
  for (const entry of entries) await walk(entry, '', out);
  return out;
}
