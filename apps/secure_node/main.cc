// The firmware a fleet node runs. For now it boots and reports who it is;
// the secure link protocol arrives with libs/pool, libs/crypto and
// libs/workspace.
#include "apps/build_info/build_info.h"
#include "board/board.h"

int main() {
  const board::BoardInfo& info = board::Info();
  board::ConsoleWrite("secure_node: board=");
  board::ConsoleWrite(info.name);
  board::ConsoleWrite(" core=");
  board::ConsoleWrite(info.core);
  board::ConsoleWrite(" build=");
  board::ConsoleWrite(build_info::BuildId());
  board::ConsoleWrite("\r\n");
  return 0;
}
