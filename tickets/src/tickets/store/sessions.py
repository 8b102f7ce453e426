"""What every Mongo store of the catalog shares: its collection, and an optional session.

A store outside a transaction reads on its own; `within(session)` gives the same store
reading and writing in that transaction (a use case's commit, or a listener's).
"""

from __future__ import annotations

from typing import ClassVar, Self

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from ticketing_common.mongo import Document


class MongoStore:
    collection_name: ClassVar[str]

    def __init__(
        self, db: AsyncDatabase[Document], session: AsyncClientSession | None = None
    ) -> None:
        self.db = db
        self.collection: AsyncCollection[Document] = db[self.collection_name]
        self.session = session

    def within(self, session: AsyncClientSession) -> Self:
        return type(self)(self.db, session)
