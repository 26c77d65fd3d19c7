"""The data-sharing access request (数据共享申请) as a kind of the portal's one workflow engine.

Why a separate app: the request's detail model subclasses portal.models.RequestDetail, and the kind is
registered with portal.registry, but datahub (which owns the catalog and the grants) may import nothing of
ours and portal may import no domain. This app sits where a domain sits — it imports portal and datahub —
and holds only the detail model, its forms and the registration; the rules and the writes stay in
datahub.catalog (services.grant_create)."""
