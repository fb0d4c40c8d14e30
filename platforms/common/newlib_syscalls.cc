// The system calls newlib needs on a bare-metal board. stdout and stderr go
// to the console UART; there is no file system, so everything else fails
// with a proper errno. The heap (_sbrk) is deliberately not here: see
// test_heap.cc. Without it, an image that pulls in malloc does not link.
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>

#include <cerrno>

#include "board/board.h"

#undef errno
extern "C" int errno;

extern "C" {

int _write(int fd, const char* data, int size) {
  if (fd != 1 && fd != 2) {
    errno = EBADF;
    return -1;
  }
  board::ConsoleWrite(data, static_cast<std::size_t>(size));
  return size;
}

int _read(int, char*, int) { return 0; }  // stdin is always at end of file.

int _open(const char*, int, ...) {
  errno = ENOSYS;
  return -1;
}

int _close(int) {
  errno = EBADF;
  return -1;
}

int _fstat(int fd, struct stat* st) {
  if (fd < 0 || fd > 2) {
    errno = EBADF;
    return -1;
  }
  st->st_mode = S_IFCHR;
  return 0;
}

int _stat(const char*, struct stat*) {
  errno = ENOENT;
  return -1;
}

int _isatty(int fd) { return fd >= 0 && fd <= 2; }

int _lseek(int, int, int) {
  errno = ESPIPE;
  return -1;
}

int _link(const char*, const char*) {
  errno = EMLINK;
  return -1;
}

int _unlink(const char*) {
  errno = ENOENT;
  return -1;
}

int mkdir(const char*, mode_t) {
  errno = ENOSYS;
  return -1;
}

int _getpid() { return 1; }

int _kill(int, int) {
  errno = EINVAL;
  return -1;
}

[[noreturn]] void _exit(int status) { board::Exit(status); }

int _gettimeofday(struct timeval* tv, void*) {
  // No calendar clock on the board: report the epoch.
  if (tv != nullptr) {
    tv->tv_sec = 0;
    tv->tv_usec = 0;
  }
  return 0;
}

clock_t _times(struct tms*) {
  errno = ENOSYS;
  return static_cast<clock_t>(-1);
}

}  // extern "C"
