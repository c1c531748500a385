//! Where results go: standard output, or a file written atomically.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use anyhow::{bail, Context, Result};
use tagbench::format::{Format, Output, Written};

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed on success:
/// a failure never leaves a half-written file, and an existing file stays as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_all_atomic(&[(path.to_path_buf(), bytes)])
}

/// Writes several files, each through a temporary file in its own folder. Every temporary
/// file is written and synced before the first rename, so a failure while writing (a full
/// disk, a path that cannot be created) leaves every target as it was and no temporary file
/// behind. An existing target keeps its permissions.
pub fn write_all_atomic(files: &[(PathBuf, &[u8])]) -> Result<()> {
    for (path, _) in files {
        check_target(path)?;
    }
    let mut temps: Vec<PathBuf> = Vec::with_capacity(files.len());
    let written = (|| -> Result<()> {
        for (path, bytes) in files {
            let tmp = temp_path(path);
            temps.push(tmp.clone());
            write_temp(&tmp, path, bytes)
                .with_context(|| format!("{}: cannot write", path.display()))?;
        }
        Ok(())
    })();
    if let Err(e) = written {
        for t in &temps {
            let _ = std::fs::remove_file(t);
        }
        return Err(e);
    }
    for (i, ((path, _), tmp)) in files.iter().zip(&temps).enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            for t in &temps[i..] {
                let _ = std::fs::remove_file(t);
            }
            return Err(e).with_context(|| format!("{}: cannot write", path.display()));
        }
    }
    // Make the renames durable; a folder that cannot be synced is not worth failing for.
    for (path, _) in files {
        if let Ok(d) = std::fs::File::open(folder_of(path)) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// The folder a file is written in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Fails, with a message that says why, when `path` cannot be a file we write.
pub fn check_target(path: &Path) -> Result<()> {
    let dir = folder_of(path);
    if !dir.is_dir() {
        // Walk up to the part of the path that is in the way.
        let mut p = dir;
        while !p.exists() {
            match p.parent() {
                Some(q) if !q.as_os_str().is_empty() => p = q,
                _ => break,
            }
        }
        if p.exists() && !p.is_dir() {
            bail!(
                "{}: cannot write: {} is a file, not a folder",
                path.display(),
                p.display()
            );
        }
        bail!(
            "{}: cannot write: folder {} does not exist",
            path.display(),
            dir.display()
        );
    }
    if path.is_dir() {
        bail!("{}: cannot write: is a folder", path.display());
    }
    Ok(())
}

/// `.NAME.tmp-PID` beside `path`: hidden, and never the name of a file we write.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_string());
    folder_of(path).join(format!(".{name}.tmp-{}", std::process::id()))
}

fn write_temp(tmp: &Path, target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = std::fs::File::create(tmp)?;
    f.write_all(bytes)?;
    if let Ok(meta) = std::fs::metadata(target) {
        f.set_permissions(meta.permissions())?;
    }
    f.sync_all()
}

/// A file written through a temporary file in the same folder, for output streamed in pieces:
/// [`AtomicFile::commit`] renames it into place; dropped without a commit (an error, a
/// panic), the temporary file is removed and any existing file at the path is untouched.
///
/// What is written is synced to disk in the background as it goes (a thread syncs the file
/// after each [`SYNC_EVERY`] bytes), so that the sync before the rename has only the tail
/// left to wait for.
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    out: Option<io::BufWriter<std::fs::File>>,
    syncer: Option<Syncer>,
    /// Bytes written since the last sync was asked for.
    unsynced: u64,
}

/// Bytes written between two background syncs of an [`AtomicFile`].
pub const SYNC_EVERY: u64 = 8 << 20;

/// The thread that syncs an [`AtomicFile`]'s data while it is written.
struct Syncer {
    /// A message asks for a sync; at most one waits (the next covers what came since).
    ask: mpsc::SyncSender<()>,
    thread: std::thread::JoinHandle<io::Result<()>>,
}

impl Syncer {
    fn start(file: std::fs::File) -> io::Result<Syncer> {
        let (ask, asked) = mpsc::sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("sync".into())
            .spawn(move || {
                for () in asked {
                    file.sync_data()?;
                }
                Ok(())
            })?;
        Ok(Syncer { ask, thread })
    }

    /// Waits for the sync under way; its error, if it failed (the file's data may not be on
    /// disk, and a later sync of the same file need not say so again).
    fn stop(self) -> io::Result<()> {
        drop(self.ask);
        self.thread
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the sync thread panicked")))
    }
}

impl AtomicFile {
    /// Creates the temporary file for `path`.
    pub fn create(path: &Path) -> Result<AtomicFile> {
        check_target(path)?;
        let tmp = temp_path(path);
        let cannot = || format!("{}: cannot write", path.display());
        let f = std::fs::File::create(&tmp).with_context(cannot)?;
        let mut file = AtomicFile {
            path: path.to_path_buf(),
            tmp,
            out: None,
            syncer: None,
            unsynced: 0,
        };
        // Without a syncer (no thread to be had) the commit syncs everything.
        file.syncer = f.try_clone().and_then(Syncer::start).ok();
        file.out = Some(io::BufWriter::with_capacity(1 << 16, f));
        Ok(file)
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> Result<()> {
        let result = (|| -> io::Result<()> {
            if let Some(s) = self.syncer.take() {
                s.stop()?;
            }
            if let Some(out) = self.out.take() {
                let f = out.into_inner().map_err(|e| e.into_error())?;
                f.sync_all()?;
            }
            if let Ok(meta) = std::fs::metadata(&self.path) {
                std::fs::set_permissions(&self.tmp, meta.permissions())?;
            }
            std::fs::rename(&self.tmp, &self.path)
        })();
        result.with_context(|| format!("{}: cannot write", self.path.display()))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = match self.out.as_mut() {
            Some(o) => o.write(buf)?,
            None => return Err(io::Error::other("already committed")),
        };
        self.unsynced += n as u64;
        if self.unsynced >= SYNC_EVERY {
            if let Some(s) = &self.syncer {
                // What the buffer holds goes to the file first; a sync already waiting
                // will cover it.
                if let Some(o) = self.out.as_mut() {
                    o.flush()?;
                }
                let _ = s.ask.try_send(());
            }
            self.unsynced = 0;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.out.as_mut() {
            Some(o) => o.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(s) = self.syncer.take() {
            let _ = s.stop();
        }
        self.out = None;
        if self.tmp.exists() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes to standard output.
pub fn print(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// Writes what a writer produced: a file atomically, or each file of a folder atomically
/// (the folder is created when missing; other files in it are left alone).
pub fn write_output(path: &Path, format: Format, written: &Written) -> Result<()> {
    match &written.output {
        Output::File(bytes) => {
            if path.is_dir() {
                bail!(
                    "{}: is a folder, and {format} output is a file",
                    path.display()
                );
            }
            write_atomic(path, bytes)
        }
        Output::Folder(files) => write_folder(path, files),
    }
}

/// Writes files into a folder, creating it (not its parents) when missing. Every file is
/// written through a temporary file and renamed only when all of them are written; a folder
/// created here is removed again when writing fails.
pub fn write_folder(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    check_folder_target(dir)?;
    let created = !dir.exists();
    if created {
        std::fs::create_dir(dir)
            .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
    }
    let targets: Vec<(PathBuf, &[u8])> = files
        .iter()
        .map(|(name, bytes)| (dir.join(name), bytes.as_slice()))
        .collect();
    let result = write_all_atomic(&targets);
    if result.is_err() && created {
        let _ = std::fs::remove_dir(dir);
    }
    result
}

/// Fails, saying why, when `dir` is neither a folder nor a folder that can be created in an
/// existing one.
pub fn check_folder_target(dir: &Path) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{}: is a file, and the output is a folder", dir.display());
        }
        return Ok(());
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        bail!(
            "{}: cannot create the folder: {} {}",
            dir.display(),
            parent.display(),
            if parent.exists() {
                "is a file, not a folder"
            } else {
                "does not exist"
            }
        );
    }
    Ok(())
}

/// Standard output, held in memory until `limit` bytes, then written through.
pub struct HeldOutput {
    buf: Vec<u8>,
    limit: usize,
    streaming: bool,
}

impl HeldOutput {
    pub fn new(limit: usize) -> HeldOutput {
        HeldOutput {
            buf: Vec::new(),
            limit,
            streaming: false,
        }
    }

    /// Writes what is held (the run succeeded).
    pub fn finish(mut self) -> std::io::Result<()> {
        self.streaming = true;
        self.flush()
    }
}

impl std::io::Write for HeldOutput {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(b);
        if self.buf.len() > self.limit {
            self.streaming = true;
            self.flush()?;
        }
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.streaming && !self.buf.is_empty() {
            print(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `pieces` MiB through an [`AtomicFile`] at `path`, each MiB a different byte.
    fn write_mib(path: &Path, pieces: u8) -> (AtomicFile, Vec<u8>) {
        let mut f = AtomicFile::create(path).unwrap();
        let mut all = Vec::new();
        for i in 0..pieces {
            let piece = vec![b'a' + i % 26; 1 << 20];
            f.write_all(&piece).unwrap();
            all.extend_from_slice(&piece);
        }
        (f, all)
    }

    #[test]
    fn a_file_synced_in_the_background_is_whole_once_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old").unwrap();
        // Past SYNC_EVERY three times: the background sync runs while writes go on.
        let (f, all) = write_mib(&path, 3 * (SYNC_EVERY >> 20) as u8 + 1);
        assert!(f.syncer.is_some());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        f.commit().unwrap();
        assert!(std::fs::read(&path).unwrap() == all);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_dropped_uncommitted_leaves_the_old_one_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old").unwrap();
        let (f, _) = write_mib(&path, (SYNC_EVERY >> 20) as u8 + 2);
        drop(f);
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
