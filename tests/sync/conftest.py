from tests.sync.calendar_servers import radicale

__all__ = ["radicale"]
