//! Every stream of a PDF inflated once, counting, before lopdf or pdf-extract sees it:
//! lopdf inflates object and xref streams while loading and pdf-extract every content
//! stream, font and form, all without a limit. The stream's dictionary is not trusted to
//! say how it is encoded (a filter can hide behind a name escape, a duplicate key or a
//! string): each stream's data is tried with every decoder lopdf has (zlib and its raw
//! deflate fallback, LZW both ways, ASCII85), each output again, up to the deepest filter
//! chain a real PDF uses, and the largest expansion found is charged. Each decoder stops
//! by itself at its end marker, so the data is read from its start to the end of the file
//! whatever `/Length` says.

use crate::error::ReadError;
use std::io::Read;

/// Limits on what a PDF may inflate to: a report's streams (text, subset fonts, a seal's
/// picture) inflate to a few MB; a compressed-stream bomb to gigabytes.
pub(super) const MAX_STREAM_BYTES: u64 = 32 * 1024 * 1024;
pub(super) const MAX_PDF_BYTES: u64 = 160 * 1024 * 1024;
/// Filters chained on one stream: real PDFs use one, rarely two.
const MAX_CHAIN: usize = 3;

fn too_large(what: String) -> ReadError {
    ReadError::Published(format!("PDF 文件过大：{what}，不像年度报告，可能是“压缩炸弹”"))
}

/// Why a PDF is refused.
enum Over {
    Stream,
    Total,
}

/// Refuses a PDF whose streams would inflate past the limits, in time and memory bounded
/// by the limits: every byte any decoder makes is charged, so the work done here is
/// bounded by the total limit too.
pub(super) fn guard(bytes: &[u8]) -> Result<(), ReadError> {
    let (mut total, mut n) = (0u64, 0);
    for pos in memchr::memmem::find_iter(bytes, b"stream") {
        if bytes[..pos].ends_with(b"end") {
            continue;
        }
        n += 1;
        let mut start = pos + 6;
        for eol in [b'\r', b'\n'] {
            if bytes.get(start) == Some(&eol) {
                start += 1;
            }
        }
        expand(&bytes[start..], 1, &mut total).map_err(|over| match over {
            Over::Stream => {
                too_large(format!("第 {n} 个数据流解压后超过 {} MB（单个数据流的上限）", MAX_STREAM_BYTES >> 20))
            }
            Over::Total => {
                too_large(format!("其中的数据流解压后合计超过 {} MB（整个 PDF 的上限）", MAX_PDF_BYTES >> 20))
            }
        })?;
    }
    Ok(())
}

/// Tries every chain of decoders starting at this depth on `data`, charging what each makes.
fn expand(data: &[u8], depth: usize, total: &mut u64) -> Result<(), Over> {
    let deeper = depth < MAX_CHAIN;
    let mut charge = |d: Decoded| -> Result<Option<Vec<u8>>, Over> {
        let Some((len, out)) = d.map_err(|()| Over::Stream)? else { return Ok(None) };
        *total += len;
        if *total > MAX_PDF_BYTES {
            return Err(Over::Total);
        }
        Ok(out)
    };
    // lopdf falls back to raw deflate only when zlib gives nothing.
    let flate = match zlib(data, deeper) {
        Ok(None) => deflate(data, deeper),
        d => d,
    };
    let outputs =
        [charge(flate)?, charge(ascii85(data, deeper))?, charge(lzw_tiff(data, deeper))?, charge(lzw(data, deeper))?];
    for out in outputs.into_iter().flatten().filter(|o| !o.is_empty()) {
        expand(&out, depth + 1, total)?;
    }
    Ok(())
}

/// A decoder's output length, and the output itself when it is to be tried again.
type Decoded = Result<Option<(u64, Option<Vec<u8>>)>, ()>;

/// Reads to the limit, keeping the output only when asked; an error ends the output
/// where it stands, as lopdf keeps what it got.
fn capped(r: impl Read, keep: bool) -> Decoded {
    let mut r = r.take(MAX_STREAM_BYTES + 1);
    let len = if keep {
        let mut out = Vec::new();
        let _ = r.read_to_end(&mut out);
        let len = out.len() as u64;
        if len > MAX_STREAM_BYTES {
            return Err(());
        }
        return Ok(Some((len, Some(out))));
    } else {
        let mut counted = Counted(0);
        let _ = std::io::copy(&mut r, &mut counted);
        counted.0
    };
    if len > MAX_STREAM_BYTES {
        return Err(());
    }
    Ok((len > 0).then_some((len, None)))
}

struct Counted(u64);

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn zlib(data: &[u8], keep: bool) -> Decoded {
    let zlib_header = data.len() > 2 && data[0] & 0x0f == 8 && (u16::from(data[0]) << 8 | u16::from(data[1])) % 31 == 0;
    if !zlib_header {
        return Ok(None);
    }
    capped(flate2::read::ZlibDecoder::new(data), keep)
}

/// lopdf's fallback when zlib gives nothing: raw deflate after the two header bytes.
fn deflate(data: &[u8], keep: bool) -> Decoded {
    capped(flate2::read::DeflateDecoder::new(data.get(2..).unwrap_or_default()), keep)
}

fn lzw_tiff(data: &[u8], keep: bool) -> Decoded {
    lzw_with(weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8), data, keep)
}

fn lzw(data: &[u8], keep: bool) -> Decoded {
    lzw_with(weezl::decode::Decoder::new(weezl::BitOrder::Msb, 8), data, keep)
}

fn lzw_with(mut d: weezl::decode::Decoder, mut data: &[u8], keep: bool) -> Decoded {
    let mut buf = vec![0u8; 64 * 1024];
    let mut out = Vec::new();
    let mut len = 0u64;
    loop {
        let r = d.decode_bytes(data, &mut buf);
        len += r.consumed_out as u64;
        if len > MAX_STREAM_BYTES {
            return Err(());
        }
        if keep {
            out.extend_from_slice(&buf[..r.consumed_out]);
        }
        data = &data[r.consumed_in..];
        match r.status {
            Ok(weezl::LzwStatus::Ok) if r.consumed_in + r.consumed_out > 0 => {}
            _ => break,
        }
    }
    Ok((len > 0).then_some((len, keep.then_some(out))))
}

/// ASCII85 up to `~>` or the first byte outside its alphabet (its output is at most four
/// bytes for each one read, so it is only kept to try the next filter on).
fn ascii85(data: &[u8], keep: bool) -> Decoded {
    let mut out = Vec::new();
    let (mut group, mut n) = (0u32, 0);
    for &c in data {
        match c {
            b'z' if n == 0 => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group = group.wrapping_mul(85).wrapping_add(u32::from(c - b'!'));
                n += 1;
                if n == 5 {
                    out.extend_from_slice(&group.to_be_bytes());
                    (group, n) = (0, 0);
                }
            }
            c if c.is_ascii_whitespace() => {}
            _ => break,
        }
        if out.len() as u64 > MAX_STREAM_BYTES {
            return Err(());
        }
    }
    // Too short to hold a compressed stream: not worth another pass.
    if out.len() < 8 {
        return Ok(None);
    }
    Ok(Some((out.len() as u64, keep.then_some(out))))
}
