"""A local TCP proxy a test owns, between the app and PostgreSQL, to cut the database off and
bring it back without touching the shared server: `up` forwards; `cut()` drops every open
connection and refuses new ones (accepted and closed at once, as a server that went away);
`hang()` accepts new connections and never answers (a server that does not respond);
`restore()` forwards again. `cut_on=b"..."` cuts the moment a client sends those bytes (a
statement), so a test can cut in the middle of a transaction."""

import socket
import threading

UP, CUT, HANG = "up", "cut", "hang"


class TCPProxy:
    def __init__(self, target_host="127.0.0.1", target_port=5432):
        self.target = (target_host, target_port)
        self.mode = UP
        self.cut_on = None
        self.cuts_on_statement = 0
        self.accepted = 0
        self._lock = threading.Lock()
        self._sockets = set()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._closed = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    # --- control -------------------------------------------------------------------------

    def cut(self):
        with self._lock:
            self.mode = CUT
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            _close(sock)

    def hang(self):
        self.cut()
        self.mode = HANG

    def restore(self):
        self.mode = UP

    def close(self):
        self._closed = True
        self.cut()
        _close(self._listener)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- forwarding ----------------------------------------------------------------------

    def _track(self, *sockets):
        with self._lock:
            self._sockets.update(sockets)

    def _accept(self):
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.accepted += 1
            if self.mode == CUT:
                _close(client)
                continue
            if self.mode == HANG:
                self._track(client)  # held open, never answered; closed by restore/close
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            self._track(client, upstream)
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, source, destination, from_client):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if from_client and self.cut_on is not None and self.cut_on in data:
                    self.cut_on = None
                    self.cuts_on_statement += 1
                    self.cut()  # the statement never reaches the server
                    break
                destination.sendall(data)
        except OSError:
            pass
        finally:
            _close(source)
            _close(destination)


def _close(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
