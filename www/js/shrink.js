// shrink.js - a phone photo made small before it goes over 2G: about
// 1600 pixels on its long side, JPEG at quality 0.8, turned upright as the
// camera meant it (EXIF orientation).  The server makes its own display
// version and thumbnail anyway; this saves the farmer's upload.  What
// cannot be shrunk (a GIF, a small image, a browser without the means)
// goes as it is.
const LONG_SIDE = 1600;
const QUALITY = 0.8;
const WORTH_IT = 300 * 1024;   // bytes under which a photo goes as it is

export async function shrink(file) {
  if (!/^image\/(jpeg|webp)$/.test(file.type) || typeof createImageBitmap !== 'function') return file;
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file;
  }
  const scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
  if (scale === 1 && file.size < WORTH_IT) { bitmap.close(); return file; }
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
  if (!blob || blob.size >= file.size) return file;
  return new File([blob], file.name.replace(/\.[^.]*$/, '') + '.jpg', { type: 'image/jpeg' });
}
